"""Clean at a glance: one scan of a whole request, to spare most requests the value-by-value path.

A request whose values need no decoding (no percent-encoding, escapes or entities, no character
that normalises into another: full-width forms, look-alike slashes; accented and non-Latin letters
are fine) and have no alternative view (no SQL comments, encoded separators, wildcard dots, glued
shell words) reads, in sections (path, query names, query values, headers, cookie names and values,
the JSON or form body), exactly as its values read one by one. A JSON body with escapes is read
as its parsed keys and strings, as the full path reads it. Scanning those sections once with every rule, where a value
may also begin or end at a JSON quote and a rule only counts in sections holding the kinds it
targets, finds a superset of what the value-by-value scan would: no match means no rule can match
any value, and the request is clean. Anything else (a match, a character that needs decoding, a body
that is neither JSON nor a form) goes the full way.

For an ordinary JSON API call this replaces a few Python steps per value with a few C calls.
"""

from __future__ import annotations

import functools
import re

from bastion.core.json_body import BodyError
from bastion.core.request import Request
from bastion.guards.waf.bodies import json_encoding, name_label, walk_json
from bastion.guards.waf.collect import (
    FILENAME_HEADER,
    PLUMBING_HEADERS,
    PLUMBING_SUSPECT,
    basic_user,
    header_url_query,
    only_addresses,
    path_segments,
    plain_browser_url,
    plain_host,
)
from bastion.guards.waf.decode import base64_text
from bastion.guards.waf.engine import WAFEngine
from bastion.guards.waf.graphql_strings import graphql_document
from bastion.guards.waf.inspected import Limits, Value
from bastion.guards.waf.plain_text import reads_as_itself
from bastion.guards.waf.shell_words import shell_candidate, shell_view
from bastion.guards.waf.views import views

# Runs of base64 characters between value boundaries, a NUL, a quote or a slash (with the whitespace
# the full path strips, and a query's `+` read as a space): a superset of the values the full path
# decodes. Path segments decoded on their own are the runs' slash-free pieces (a segment between two
# separators lies in the run that starts at or before the first). Quotes are read as NULs first, so
# that each expression opens with one literal.
_RUN_AFTER_NUL = re.compile(r"\x00\s*([A-Za-z0-9+_-][A-Za-z0-9+/_-]{7,}={0,2})\s*(?=[\x00/])")
_RUN_AFTER_SLASH = re.compile(r"/\s*([A-Za-z0-9+_-][A-Za-z0-9+/_-]{7,}={0,2})\s*(?=[\x00/])")


# A value that opens like a JSON document, plain or percent-encoded (the full path reads it key by key).
_JSON_VALUE = re.compile(r"(?:^|=)\s*(?:[{\[]|%7[bB]|%5[bB])")
_JSON_DOCUMENT = re.compile(r"\s*(?:[{\[]|%7[bB]|%5[bB])")

# The largest JSON body whose hits are settled value by value at a glance: a second scan of a small
# body costs little beside the full path, of a 30 KB flood (`{{{{...`) as much as the full path's own.
_SETTLE_JSON = 4096

PATH = frozenset({"path"})
NAMES = frozenset({"query_key"})
QUERY = frozenset({"query"})
HEADERS = frozenset({"header"})
COOKIES = frozenset({"cookie"})
JSON = frozenset({"json", "json_key"})
FORM_NAMES = frozenset({"form_key"})
FORM = frozenset({"form"})


def clean_at_a_glance(request: Request, engine: WAFEngine, limits: Limits, decode_base64: bool) -> bool:  # noqa: PLR0911, PLR0912  every reason to leave the fast path, in one pass over the request (the hot path)
    sections: list[tuple[frozenset[str], str]] = [(PATH, request.path)]
    # The values behind the header and query sections: a rule's hit there is settled on its value.
    held: dict[int, list[Value]] = {}
    segments = path_segments(request.path)
    if segments:
        sections.append((PATH, "\x00".join(segment for _, segment in segments)))
    if request.query:
        if _JSON_VALUE.search(request.query):
            return False  # a JSON document in a parameter is read key by key, on the full path
        _pairs(request.query.replace("+", " "), "&", NAMES, QUERY, sections, held, "+" in request.query)
    headers: list[str] = []
    header_values: list[Value] = []
    host, origin = request.headers.get("host") or "", request.headers.get("origin") or ""
    for name, value in request.headers:
        if name not in PLUMBING_HEADERS:
            if FILENAME_HEADER.match(name):
                return False
            if not only_addresses(name, value) and not plain_browser_url(name, value, host, origin):
                if header_url_query(value) or _JSON_DOCUMENT.match(value):
                    return False  # its query's parameters are read one by one, as a query's are
                if "\t" in value and _another_view(value):
                    return False  # `a<TAB>bhttps://...`: a URL split by a tab, read whole in a view
                headers.append(value)
                header_values.append(Value("header", name, "header", value))
        elif name == "cookie":
            if "\t" in value:
                return False  # a tab can split a URL that a view reads whole
            _pairs(value, ";", NAMES, COOKIES, sections)
        elif name == "host":
            if not plain_host(value):
                return False
        elif name == "authorization" and basic_user(value) is not None:
            return False  # a user name that is more than a login, read on the full path
        elif name != "content-length" and PLUMBING_SUSPECT.search(value):
            return False
    if headers:
        held[len(sections)] = header_values
        sections.append((HEADERS, "\x00".join(headers)))
    json_section = _add_body(request, limits, sections, held)
    if json_section is None:
        return False
    everything = "\x00".join(text for _, text in sections)
    if len(everything) > limits.max_total or not reads_as_itself(everything):
        return False  # characters that normalise or read differently (full-width, look-alike slashes)
    markers: set[str] = set()  # what could decode or read differently (markers.py), from the same scan
    unsettled: set[int] = set()
    settled: set[tuple[int, int, int]] = set()
    if engine.may_match(sections, values=held, markers=markers, unsettled=unsettled, settled=settled):
        # Hits in the raw JSON body alone (a URL, an apostrophe): settle each on its value, as the
        # header and query hits are, reading the body's keys and strings (parsed once per request)
        if unsettled != {json_section} or json_section in held or len(sections[json_section][1]) > _SETTLE_JSON:
            return False
        if not _hold_json(request, sections, held, json_section):
            return False
        markers.clear()
        if engine.may_match(sections, values=held, markers=markers, settled=settled):
            return False
    if "decode" in markers or ("hash" in markers and "dollar_or_paren" in markers):
        return False
    if decode_base64 and _readable_base64(everything):
        return False
    if "glue" not in markers:
        return True
    glued = [(kinds, shell_view(text.lower())) for kinds, text in sections if shell_candidate(text.lower())]
    return not (glued and engine.may_match(glued, shell_view_only=True))


Section = tuple[frozenset[str], str]


def _add_body(request: Request, limits: Limits, sections: list[Section], held: dict[int, list[Value]]) -> int | None:
    """Add the body's sections; the JSON body's section index (-1: none), or None when the body
    must go the full way."""
    body = request.body
    if not body:
        return -1
    header = request.headers.get("content-type") or ""
    if len(body) > limits.max_value or b"\x00" in body or ("charset" in header and json_encoding(body, header)):
        return None  # large bodies go value by value, where every value has its own bound; so do
        # bodies in another encoding than UTF-8 (UTF-16 JSON), which only the full path decodes;
        # `charset=utf-8` is UTF-8
    if request.is_json:
        text = body.decode("utf-8", "replace")
        if "\\" not in text and "\n" not in text and "\t" not in text and "\r" not in text:
            sections.append((JSON, text))
            return len(sections) - 1
        # escapes (`\n`, `\"`, `\u00e9`) read differently raw and parsed: the parsed strings, as the
        # full path reads them; what decodes further still carries its marker. Tabs and line breaks
        # are only whitespace between tokens if the body parses (a lenient parser would take them
        # inside a string, which the full path then reads raw, views and all). Past the JSON limits
        # the full path reads the body leniently.
        return len(sections) if _hold_json(request, sections, held, len(sections)) else None
    if request.content_type == "application/x-www-form-urlencoded":
        _pairs(body.decode("utf-8", "replace").replace("+", " "), "&", FORM_NAMES, FORM, sections)
        return -1
    return None


_LINE_SPACE = re.compile(r"[\t\r\n]")


def _another_view(raw: str) -> bool:
    """Whether the full path reads this value in a view beside its lower-cased text."""
    return len(views(raw)) > 1


def _hold_json(request: Request, sections: list[Section], held: dict[int, list[Value]], index: int) -> bool:
    """Put the body's keys and strings, NUL-separated and held value by value, at `sections[index]`,
    as the full path walks them (bodies.py); False when the body is past the JSON limits."""
    try:
        document = request.json()
    except BodyError:
        return False
    values: list[Value] = []
    walk_json(document, values.append)
    if any(_JSON_DOCUMENT.match(value.raw) or graphql_document(value.raw) for value in values):
        return False  # a JSON document in a string is read key by key on the full path (add_json_views),
        # where a reading excused for the whole document (its quotes are JSON's) still reads each string;
        # a GraphQL document's string arguments are read there decoded (add_graphql_views)
    text = "\x00".join(value.raw for value in values)
    if values and text.count("\x00") >= len(values):
        return False  # a string holds a NUL (`\u0000`): in the joined text it would pass for a
        # separator, and the full path reads such a value also cut at the NUL, as C-string APIs do
    if _LINE_SPACE.search(text) and any(_another_view(value.raw) for value in values if _LINE_SPACE.search(value.raw)):
        return False  # parsed, a string holds real tabs and line breaks, which views read apart
        # (`https:<LF>//host`: a URL split by a line break); raw JSON only has them escaped
    if index < len(sections):
        sections[index] = (JSON, text)
    else:
        sections.append((JSON, text))
    held[index] = values
    return True


def _pairs(  # noqa: PLR0913  the two sections of a query, cookie or form, and the query's values when held
    text: str,
    separator: str,
    names_kinds: frozenset[str],
    values_kinds: frozenset[str],
    into: list[Section],
    held: dict[int, list[Value]] | None = None,
    plus: bool = False,
) -> None:
    """`held`: the query's names and values as the full path collects them (bodies.pairs), by
    section; not those of a section where a `+` stood (the full path reads its decoded view)."""
    names: list[str] = []
    values: list[str] = []
    for part in text.split(separator):
        # Only the space after a cookie's `;` is formatting; anything else (a CR/LF in a query name) is
        # content the full path inspects, so it must stay.
        name, equals, value = (part.lstrip(" ") if separator == ";" else part).partition("=")
        names.append(name)
        values.append(value if equals else name)  # a bare name is read as a value too
    if held is not None:
        labels = [name_label(name) for name in names]  # as the full path (bodies.pairs) names them
        if not plus or " " not in "".join(names):
            held[len(into)] = [
                Value("query", label, "query_key", name, True) for label, name in zip(labels, names, strict=True)
            ]
        if not plus or " " not in "".join(values):
            held[len(into) + 1] = [
                Value("query", label, "query", value, True) for label, value in zip(labels, values, strict=True)
            ]
    into.append((names_kinds, "\x00".join(names)))
    into.append((values_kinds, "\x00".join(values)))


def _readable_base64(buffer: str) -> bool:
    """Whether a value is base64 of readable text (which the full path decodes and inspects)."""
    if "base64," in buffer or "BASE64," in buffer:
        return True  # a data: URI
    runs = base64_runs(buffer)
    for run in list(runs):
        if "/" in run:
            runs.update(piece for piece in run.split("/") if len(piece) >= 8)
    return any(_readable_run(run) if len(run) <= _MEMO_RUN else base64_text(run) is not None for run in runs)


def base64_runs(buffer: str) -> set[str]:
    """The runs after a NUL or a quote, and after each slash. One expression opening with the class
    of all three found the same runs, without the few more a slash can add here (a run that starts
    inside another); it took 8.7 µs on a 1 KB JSON body, these two 7.3."""
    text = f"\x00{buffer}\x00".replace('"', "\x00")
    runs = set(_RUN_AFTER_NUL.findall(text))
    if "/" in buffer:
        runs.update(_RUN_AFTER_SLASH.findall(text))
    return runs


_MEMO_RUN = 64  # runs up to this long are memoised: field names and ids recur from request to request


@functools.lru_cache(maxsize=512)
def _readable_run(run: str) -> bool:
    return base64_text(run) is not None
