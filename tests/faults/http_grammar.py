"""A grammar of HTTP/1.1 requests as Hypothesis strategies, valid by default and mutated at every rule.

Each rule (request line, target, header field, framing, body) mostly produces what RFC 9112 allows
and sometimes one of the shapes that parsers disagree on: bare LF or CR, NUL and other controls,
obs-fold, whitespace around field names, duplicate or malformed Content-Length, Transfer-Encoding
variants and both framings at once, chunk sizes and extensions, bytes that are not UTF-8, escapes
that decode to separators or overlong UTF-8, and bodies (JSON, form, multipart) that are nearly
right. A case may pipeline several requests, and is sometimes cut short.

The paths follow the fuzz API (`fuzz_api.yaml`) often enough that requests reach the validator, the
WAF and the upstream, not only the router's 404.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace

from hypothesis import strategies as st

Draw = st.DrawFn


@dataclass(frozen=True)
class FuzzCase:
    data: bytes
    splits: tuple[int, ...]  # offsets where the client pauses between writes (exercises partial parsing)
    half_close: bool  # the client half-closes after sending (the gateway answers what it has, then closes)
    seed: int = 0  # drives the havoc variants of this case

    def variants(self, count: int) -> list[FuzzCase]:
        """This case and `count` havoc mutations of it (cheap: no Hypothesis draw each)."""
        rng = random.Random(self.seed)
        found = [self]
        for _ in range(count):
            data = self.data
            for _ in range(rng.choice((1, 1, 2, 3))):
                data = havoc(data, rng)
            found.append(replace(self, data=data, splits=tuple(s for s in self.splits if s < len(data))))
        return found


# Strategies are built once here: building one per draw costs more than drawing from it. Strings are
# drawn as bytes (one choice for Hypothesis, rather than one per character) and mapped onto their
# alphabet, which makes generation about ten times faster.
PERCENT = st.integers(0, 99)


def _over(alphabet: bytes, min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[bytes]:
    table = bytes(alphabet[i % len(alphabet)] for i in range(256))
    return st.binary(min_size=min_size, max_size=max_size).map(lambda raw: raw.translate(table))


_ALNUM = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
TOKEN = _over(_ALNUM + b"-_.~", 1, 12)
SHORT_ALNUM = _over(_ALNUM, 0, 4)
FIELD_NAME = _over(_ALNUM + b"!#$%&'*+.^_`|~-", 1, 20)
BOUNDARY = _over(_ALNUM + b"'()+_,./:=?-", 1, 30)
PRINTABLE = _over(bytes(range(0x20, 0x7F)), 0, 40)
# UTF-8 text beyond ASCII: Latin-1 letters, and a few characters that matter (RTL override, fullwidth
# solidus, a 4-byte character, a zero-width space)
UNICODE = st.binary(max_size=8).map(lambda raw: raw.decode("latin-1").encode("utf-8")) | st.sampled_from(
    ("\u202e".encode(), "\uff0f".encode(), "\U0001d538".encode(), "\u200b".encode(), "\u0130".encode())
)


def _chance(draw: Draw, percent: int) -> bool:
    return draw(PERCENT) < percent


# -- the request line --------------------------------------------------------------------------------

METHODS = [b"GET", b"GET", b"GET", b"POST", b"POST", b"PUT", b"PATCH", b"DELETE", b"HEAD", b"OPTIONS"]
ODD_METHODS = [b"TRACE", b"CONNECT", b"PRI", b"FOO", b"get", b"G\x00ET", b"", b"PROPFIND", b"M-SEARCH", b"GET\t"]
VERSIONS = [b"HTTP/1.1"] * 12 + [b"HTTP/1.0", b"HTTP/1.0"]
ODD_VERSIONS = [b"HTTP/2.0", b"HTTP/0.9", b"HTTP/1.2", b"HTTP/3", b"http/1.1", b"HTTP/1.1 ", b"HTTP/11", b""]
ESCAPES = [
    "%2f", "%2F", "%5c", "%2e", "%2e%2e", "%c0%af", "%c0%ae", "%ff", "%fe%ff", "%00", "%0a", "%0d%0a", "%09",
    "%25", "%41", "%7e", "%u0041", "%", "%z1", "%e2%80%ae", "%ed%a0%80", "%3b", "%23", "%3f", "%20", "+",
]  # fmt: skip
ROUTES = ["/items", "/items/{id}", "/login", "/upload", "/echo", "/admin/users"]


@st.composite
def segment(draw: Draw) -> bytes:
    kind = draw(PERCENT)
    if kind < 75:
        return draw(TOKEN)
    if kind < 85:
        return draw(st.sampled_from(ESCAPES)).encode() + draw(SHORT_ALNUM)
    if kind < 90:
        return draw(UNICODE)  # raw non-ASCII bytes in the target
    if kind < 85:
        return draw(
            st.sampled_from(
                (
                    b"..",
                    b".",
                    b"",
                    b"a;x=1",
                    b"admin.",
                    b"admin ",
                    b"ADMIN",
                    b"a\\b",
                    b"%2e%2e",
                )
            )
        )
    return draw(st.binary(min_size=1, max_size=6))


@st.composite
def query(draw: Draw) -> bytes:
    pairs = []
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from([b"limit", b"q", b"id", b"a[]", b"", b"__proto__", b"q"]))
        value = draw(
            st.one_of(
                TOKEN,
                st.sampled_from(ESCAPES).map(str.encode),
                st.sampled_from(
                    (
                        b"1",
                        b"-1",
                        b"1e999",
                        b"0x10",
                        b"' OR 1=1--",
                        b"<script>",
                        b"../../etc/passwd",
                    )
                ),
                UNICODE,
            )
        )
        pairs.append(key + (b"=" + value if _chance(draw, 90) else b""))
    return b"&".join(pairs)


@st.composite
def target(draw: Draw) -> bytes:
    kind = draw(PERCENT)
    if kind < 75:
        route = draw(st.sampled_from(ROUTES))
        item = (
            draw(
                st.sampled_from(
                    (
                        b"1",
                        b"42",
                        b"-1",
                        b"abc",
                        b"9" * 30,
                        b"1.5",
                    )
                )
            )
            if _chance(draw, 80)
            else None
        )
        path = route.encode().replace(b"{id}", item if item is not None else draw(segment()))
        if _chance(draw, 10):
            path += b"/" + draw(segment())
    elif kind < 85:
        path = b"/" + b"/".join(draw(st.lists(segment(), min_size=1, max_size=5)))
    elif kind < 90:
        path = draw(
            st.sampled_from(
                (
                    b"*",
                    b"http://gw/items",
                    b"http://169.254.169.254/",
                    b"gw:443",
                    b"//items",
                )
            )
        )
    else:
        path = draw(st.binary(min_size=0, max_size=12))
    if _chance(draw, 30):
        path += b"?" + draw(query())
    if _chance(draw, 3):
        path += b"#" + draw(segment())
    return path


@st.composite
def request_line(draw: Draw) -> tuple[bytes, bytes]:
    """The line and its method (the framing depends on the method)."""
    method = draw(st.sampled_from(ODD_METHODS)) if _chance(draw, 5) else draw(st.sampled_from(METHODS))
    version = draw(st.sampled_from(ODD_VERSIONS)) if _chance(draw, 4) else draw(st.sampled_from(VERSIONS))
    sep = (
        draw(
            st.sampled_from(
                (
                    b"  ",
                    b"\t",
                    b" \t",
                )
            )
        )
        if _chance(draw, 3)
        else b" "
    )
    return method + sep + draw(target()) + b" " + version, method


# -- header fields -------------------------------------------------------------------------------------

NAMES = [
    b"Accept", b"User-Agent", b"Accept-Encoding", b"Cookie", b"Authorization", b"X-Request-Id", b"Origin",
    b"X-Forwarded-For", b"Forwarded", b"X-Bastion-Roles", b"X_Bastion_Roles", b"x-bastion-subject",
    b"X-HTTP-Method-Override", b"X-Original-URL", b"Connection", b"Upgrade", b"Range", b"Referer",
    b"If-None-Match", b"TE", b"Trailer", b"Keep-Alive", b"Proxy-Connection", b"X-Api-Key",
]  # fmt: skip
ODD_NAMES = [b"Host ", b" Host", b"X-A\x00", b"X A", b"", b"X-\xff", b"X-A:", b"Content-Length\t", b"\x7f"]
VALUE_TEXT = PRINTABLE


@st.composite
def field_value(draw: Draw) -> bytes:
    kind = draw(PERCENT)
    if kind < 88:
        return draw(VALUE_TEXT)
    if kind < 91:
        return draw(st.binary(max_size=20))  # controls, NUL, bytes >= 0x80
    if kind < 94:
        return draw(VALUE_TEXT) + draw(
            st.sampled_from(
                (
                    b"\r\n x",
                    b"\n\tx",
                    b"\rX: y",
                    b"\x00",
                    b"\r\n\r\n",
                )
            )
        )
    if kind < 97:
        return draw(UNICODE)
    return b"a" * draw(
        st.sampled_from(
            (
                100,
                4000,
                9000,
                20000,
            )
        )
    )


@st.composite
def header_fields(draw: Draw) -> list[bytes]:
    fields = []
    host = draw(PERCENT)
    if host < 85:
        fields.append(b"Host: gw")
    elif host < 90:
        fields += [
            b"Host: gw",
            b"Host: "
            + draw(
                st.sampled_from(
                    (
                        b"gw",
                        b"evil",
                    )
                )
            ),
        ]
    elif host < 96:
        fields.append(b"Host: " + draw(st.sampled_from([b"", b"a b", b"u@gw", b"gw/x", b"[::1", b"gw:99999", b"\xff"])))
    for _ in range(draw(st.integers(0, 5))):
        name = draw(st.sampled_from(ODD_NAMES)) if _chance(draw, 2) else draw(st.sampled_from(NAMES))
        if _chance(draw, 10):
            name = draw(FIELD_NAME)
        sep = (
            draw(
                st.sampled_from(
                    (
                        b":",
                        b" :",
                        b":\t",
                        b"::",
                    )
                )
            )
            if _chance(draw, 3)
            else b": "
        )
        fields.append(name + sep + draw(field_value()))
    if _chance(draw, 5):
        fields.append(b"Expect: 100-continue")
    return fields


# -- bodies --------------------------------------------------------------------------------------------

JSON_TEXT = (PRINTABLE | UNICODE).map(lambda raw: raw.decode("utf-8"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | JSON_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(JSON_TEXT, children, max_size=4),
    max_leaves=12,
)
JSON_ODDITIES = [
    b'{"name": "\\ud800"}', b'{"name": "\xff\xfe"}', b"[" * 200 + b"]" * 200, b'{"price": 1e999999}',
    b'{"price": NaN}', b'{"a": 1, "a": 2}', b'{"name": "x",}', b"\xef\xbb\xbf{}", b'{"name": "x"', b"",
    b'{"__proto__": {"admin": true}}', b'{"name": "' + b"x" * 70000 + b'"}', b'{"role": "admin", "name": "x"}',
]  # fmt: skip


@st.composite
def json_body(draw: Draw) -> tuple[bytes, bytes]:
    if _chance(draw, 25):
        return b"application/json", draw(st.sampled_from(JSON_ODDITIES))
    if _chance(draw, 50):
        value: object = {
            "name": draw(JSON_TEXT) * draw(st.sampled_from((1, 1, 1, 5))),
            "price": draw(st.one_of(st.floats(allow_nan=False), st.integers(), JSON_TEXT)),
            "tags": draw(st.lists(JSON_TEXT, max_size=3)),
        }
    else:
        value = draw(JSON_VALUES)
    ctype = draw(
        st.sampled_from(
            (
                b"application/json",
                b"application/json; charset=utf-8",
                b"application/x+json",
            )
        )
    )
    return ctype, json.dumps(value, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@st.composite
def form_body(draw: Draw) -> tuple[bytes, bytes]:
    pairs = [b"username=" + draw(query()), b"password=" + draw(st.sampled_from(ESCAPES)).encode()]
    if _chance(draw, 30):
        pairs.append(draw(st.binary(max_size=16)))
    return b"application/x-www-form-urlencoded", b"&".join(draw(st.permutations(pairs)))


@st.composite
def multipart_body(draw: Draw) -> tuple[bytes, bytes]:
    boundary = draw(BOUNDARY)
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(
            st.sampled_from(
                (
                    b"file",
                    b"note",
                    b"",
                    b'a"b',
                    b"file\x00",
                )
            )
        )
        disposition = b'Content-Disposition: form-data; name="' + name + b'"'
        if _chance(draw, 50):
            disposition += (
                b'; filename="'
                + draw(
                    st.sampled_from(
                        (
                            b"a.txt",
                            b"../../x",
                            b"\xff.bin",
                            b"",
                        )
                    )
                )
                + b'"'
            )
        parts.append(b"--" + boundary + b"\r\n" + disposition + b"\r\n\r\n" + draw(st.binary(max_size=64)) + b"\r\n")
    closing = (
        b"--" + boundary + b"--\r\n"
        if _chance(draw, 85)
        else draw(
            st.sampled_from(
                (
                    b"",
                    b"--" + boundary,
                )
            )
        )
    )
    quoted = b'"' + boundary + b'"' if _chance(draw, 10) else boundary
    ctype = b"multipart/form-data; boundary=" + quoted if _chance(draw, 95) else b"multipart/form-data"
    return ctype, b"".join(parts) + closing


@st.composite
def body(draw: Draw) -> tuple[bytes, bytes]:
    kind = draw(PERCENT)
    if kind < 40:
        return draw(json_body())
    if kind < 60:
        return draw(form_body())
    if kind < 75:
        return draw(multipart_body())
    return draw(
        st.sampled_from(
            (
                b"text/plain",
                b"application/octet-stream",
                b"",
                b"x/\xff",
            )
        )
    ), draw(st.binary(max_size=200))


# -- framing --------------------------------------------------------------------------------------------


@st.composite
def chunked(draw: Draw, data: bytes) -> bytes:
    """`data` chunk-encoded, with sizes, extensions and the last chunk sometimes wrong."""
    out = []
    at = 0
    while at < len(data):
        size = draw(st.integers(1, max(1, len(data) - at)))
        chunk = data[at : at + size]
        at += size
        spelled = b"%x" % len(chunk)
        kind = draw(PERCENT)
        if kind < 5:
            spelled = spelled.upper() if _chance(draw, 50) else b"000" + spelled
        elif kind < 10:
            spelled += draw(
                st.sampled_from(
                    (
                        b";ext=1",
                        b';e="q"',
                        b";e",
                        b" ;e",
                        b";\xff",
                        b"\t",
                    )
                )
            )
        elif kind < 14:
            spelled = draw(
                st.sampled_from(
                    (
                        b"zz",
                        b"-1",
                        b"0x5",
                        b"fffffffffffffffff",
                        b"",
                        b"%x" % (len(chunk) + 1),
                    )
                )
            )
        out.append(spelled + b"\r\n" + chunk + b"\r\n")
    last = draw(PERCENT)
    if last < 85:
        out.append(b"0\r\n\r\n")
    elif last < 92:
        out.append(b"0\r\nX-Trailer: 1\r\n\r\n")
    elif last < 96:
        out.append(b"0\r\n")  # cut before the end
    return b"".join(out)


@st.composite
def framed(draw: Draw, method: bytes) -> tuple[list[bytes], bytes]:  # noqa: PLR0911  one return per kind of framing drawn
    """Framing header fields and the message body as sent."""
    wants_body = method in (b"POST", b"PUT", b"PATCH") or _chance(draw, 5)
    if not wants_body:
        return ([b"Content-Length: 0"] if _chance(draw, 10) else []), b""
    ctype, data = draw(body())
    fields = [b"Content-Type: " + ctype] if ctype else []
    kind = draw(PERCENT)
    if kind < 55:
        return [*fields, b"Content-Length: %d" % len(data)], data
    if kind < 75:
        return [*fields, b"Transfer-Encoding: chunked"], draw(chunked(data))
    if kind < 82:
        length = draw(
            st.sampled_from(
                [b"%d" % (len(data) + 5), b"%d" % max(0, len(data) - 3), b"+%d" % len(data), b" %d " % len(data),
                 b"0x10", b"-1", b"99999999999999999999", b"%d,%d" % (len(data), len(data)), b""]
            )
        )  # fmt: skip
        return [*fields, b"Content-Length: " + length], data
    if kind < 87:
        both = [b"Content-Length: %d" % len(data), b"Transfer-Encoding: chunked"]
        return [*fields, *draw(st.permutations(both))], draw(chunked(data))
    if kind < 92:
        coding = draw(
            st.sampled_from(
                [b"Chunked", b"chunked, chunked", b"gzip, chunked", b" chunked", b"chunked, gzip", b"identity",
                 b"xchunked", b"chunked\x00", b"\tchunked"]
            )
        )  # fmt: skip
        return [*fields, b"Transfer-Encoding: " + coding], draw(chunked(data))
    if kind < 96:
        return [*fields, b"Content-Length: %d" % len(data), b"Content-Length: %d" % (len(data) + 1)], data
    return fields, data  # a body with no framing: it becomes the start of the next request


@st.composite
def one_request(draw: Draw) -> bytes:
    line, method = draw(request_line())
    framing, data = draw(framed(method))
    fields = draw(header_fields()) + framing
    fields = list(draw(st.permutations(fields))) if _chance(draw, 30) else fields
    eol = (
        draw(
            st.sampled_from(
                (
                    b"\n",
                    b"\r",
                    b"\r\r\n",
                )
            )
        )
        if _chance(draw, 3)
        else b"\r\n"
    )
    if eol != b"\r\n" and _chance(draw, 50):  # only one line ends oddly
        return line + b"\r\n" + eol.join(fields) + b"\r\n\r\n" + data
    return line + eol + b"".join(f + eol for f in fields) + eol + data


@st.composite
def fuzz_case(draw: Draw) -> FuzzCase:
    requests = [
        draw(one_request())
        for _ in range(
            draw(
                st.sampled_from(
                    (
                        1,
                        1,
                        1,
                        1,
                        1,
                        1,
                        2,
                        2,
                        3,
                    )
                )
            )
        )
    ]
    data = b"".join(requests)
    if _chance(draw, 4):
        data = data[: draw(st.integers(0, len(data)))]  # cut short anywhere
    splits: tuple[int, ...] = ()
    if len(data) > 1 and _chance(draw, 15):
        splits = tuple(sorted(set(draw(st.lists(st.integers(1, len(data) - 1), min_size=1, max_size=3)))))
    return FuzzCase(data, splits, half_close=_chance(draw, 85), seed=draw(st.integers(0, 2**32)))


# -- havoc: byte-level mutations of a generated case, as AFL's havoc stage, aware of lines ---------------

TOKENS = (
    b"\r\n", b"\n", b"\r", b"\x00", b" ", b"\t", b"%00", b"%2f", b"%ff", b"..", b"\xff", b"\x7f", b";", b"#",
    b"chunked", b"Transfer-Encoding: chunked\r\n", b"Content-Length: 0\r\n", b"Content-Length: 5\r\n",
    b"Host: gw\r\n", b"\r\n\r\nGET /admin/users HTTP/1.1\r\nHost: gw\r\n\r\n", b"0\r\n\r\n", b"ffffffff\r\n",
    b"Expect: 100-continue\r\n", b"X-Bastion-Roles: admin\r\n", b"Connection: close\r\n", b'"', b"\\u0000",
)  # fmt: skip


def havoc(data: bytes, rng: random.Random) -> bytes:  # noqa: PLR0911  one return per mutation operator
    if not data:
        return rng.choice(TOKENS)
    head_end = data.find(b"\r\n\r\n")
    head, rest = (data[:head_end], data[head_end:]) if head_end > 0 else (data, b"")
    lines = head.split(b"\r\n")
    op = rng.randrange(10)
    if op == 0 and len(lines) > 2:  # swap two fields (the request line stays first)
        i, j = rng.randrange(1, len(lines)), rng.randrange(1, len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 1:  # repeat a line
        lines.insert(rng.randrange(1, len(lines) + 1), rng.choice(lines))
    elif op == 2 and len(lines) > 1:  # drop a field
        del lines[rng.randrange(1, len(lines))]
    elif op == 3:  # change the case of a field name
        i = rng.randrange(len(lines))
        name, sep, value = lines[i].partition(b":")
        lines[i] = (name.upper() if rng.random() < 0.5 else name.lower()) + sep + value
    elif op == 4:  # a number (a length, a chunk size) changed
        digits = [i for i, c in enumerate(data) if 48 <= c <= 57]
        if digits:
            at = rng.choice(digits)
            return data[:at] + str(rng.choice((0, 1, 9, 10, 65535, 2**31, 2**64))).encode() + data[at + 1 :]
    elif op == 5:  # flip one byte
        at = rng.randrange(len(data))
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    elif op == 6:  # cut short
        return data[: rng.randrange(len(data))]
    elif op == 7:  # send it twice (pipelined)
        return data + data
    else:  # a token inserted anywhere
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice(TOKENS) + data[at:]
    return b"\r\n".join(lines) + rest
