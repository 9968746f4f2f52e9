"""Request bodies read the way the application behind the gateway will read them.

JSON at any depth (up to what the JSON parser itself accepts, whatever the validation limits) and in
whichever Unicode encoding it arrives: RFC 4627 section 3 lets a reader tell UTF-16 and UTF-32 from
UTF-8 by where the zero bytes sit in the first four, and frameworks (Flask among them) do exactly
that. Forms and multipart bodies field by field, with parts sent in base64 or quoted-printable
decoded. XML as a document, its text nodes and attribute values. Anything else as an opaque document.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import itertools
import quopri
import re
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from bastion.core.forms import FormError, FormField
from bastion.core.json_body import BodyError, has_duplicate_keys
from bastion.core.request import Request
from bastion.guards.waf.decode import normalize
from bastion.guards.waf.inspected import MAX_VALUES, Collector, Value

_XML_TEXT = re.compile(r">([^<]+)<")  # a text node runs to the next tag; a `>` in it is text (XML need not escape it)
_XML_ATTRIBUTE = re.compile(r"=\s*\"([^\"]*)\"|=\s*'([^']*)'")
_MULTIPART_FILENAME = re.compile(r"filename\*?=\s*\"([^\"\r\n]{1,1024})\"", re.IGNORECASE)
# A quoted file name that a line break splits: a strict parser ends the part's header line there (and
# reads what follows as a header of its own), a lenient one reads the name across it.
_SPLIT_FILENAME = re.compile(r"filename\*?=\s*\"([^\"\r\n]{0,1024}(?:\r\n|\n|\r)[^\"\r\n]{1,1024})\"", re.IGNORECASE)
_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
MAX_FORM_FIELDS = 512


def pairs(query: str) -> Iterator[tuple[str, str]]:
    """Query or form pairs, names and values as sent, for the decoding layers to undo: a name gets
    every reading a value gets (the cut at a NUL in `/etc/passwd%00.jpg=1`, the shell's reading of
    `ca\\t` before escapes are decoded). `name_label` names a pair in a location."""
    for piece in query.split("&"):  # every pair: past MAX_VALUES the request is oversized
        # a body's trailing newline is not part of its last bare name
        part = piece if "=" in piece else piece.rstrip("\r\n")
        if not part:
            continue
        name, equals, value = part.partition("=")
        # A bare name (`?<payload>` or a form body without `=`) is read by applications as a value too.
        yield name, value if equals else part


def name_label(name: str) -> str:
    """A pair's name as a location shows it: decoded, lower-cased, at most 64 characters."""
    return (normalize(name, form=True) if ("%" in name or "+" in name) else name.lower())[:64]


def json_encoding(body: bytes, content_type: str) -> str | None:
    """The encoding of a JSON text that is not UTF-8 (None for UTF-8): from a charset parameter,
    a byte-order mark, or the zero bytes among the first four (RFC 4627 section 3)."""
    declared = _CHARSET.search(content_type)
    if declared:
        name = declared.group(1).lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            return None
        if codec not in ("utf-8", "ascii"):
            return name
    head = body[:4]
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) < 4 or 0 not in head:
        return None
    zeros = (head[0] == 0, head[1] == 0, head[2] == 0, head[3] == 0)
    return {
        (True, True, True, False): "utf-32-be",
        (False, True, True, True): "utf-32-le",
        (True, False, True, False): "utf-16-be",
        (False, True, False, True): "utf-16-le",
    }.get(zeros)


def read_body(request: Request, body: bytes, collector: Collector) -> None:
    """Structured bodies (JSON, forms, XML) are read whole, within the limits; a multipart body's
    fields likewise, its text files and any other body (text, octet streams) as documents."""
    media = request.content_type
    limits = collector.limits
    header = request.headers.get("content-type") or ""
    encoding = json_encoding(body, header) if b"\x00" in body[:4] or "charset" in header else None
    if encoding is not None and (request.is_json or not media or media == "text/plain"):
        _foreign_json(body, encoding, collector)
        return
    structured = (
        request.is_json
        or media in ("application/x-www-form-urlencoded", "multipart/form-data")
        or "xml" in media
        or (not media and body.lstrip()[:1] in (b"{", b"[", b"<"))
        or (not media and b"=" in body[:4096])
    )
    if not structured:
        collector.add_document(
            "body",
            None,
            "raw",
            body[: limits.max_value * 4].decode("utf-8", "surrogateescape"),
            longer=len(body) > limits.max_value * 4,
        )
        return
    if len(body) > limits.max_total and media != "multipart/form-data":
        collector.oversized = True
    text = body[: limits.max_total].decode("utf-8", "surrogateescape")
    if request.is_json or (not media and text.lstrip()[:1] in ("{", "[")):
        _json(request, text, collector)
    elif media == "application/x-www-form-urlencoded" or (not media and "=" in text and "<" not in text[:1]):
        for name, value in pairs(text):
            label = name_label(name)
            collector.add("body", label, "form_key", name, form=True, operand=value)
            collector.add("body", label, "form", value, form=True)
    elif media == "multipart/form-data":
        _multipart(request, text, collector)
    elif "xml" in media or text.lstrip()[:1] == "<":
        collector.add("body", None, "xml", text)
        for match in itertools.islice(_XML_TEXT.finditer(text), MAX_VALUES):
            collector.add("body", "text", "xml_text", match.group(1))
        for section in itertools.islice(_cdata_sections(text), MAX_VALUES):
            collector.add("body", "text", "xml_text", section)
        for match in itertools.islice(_XML_ATTRIBUTE.finditer(text), MAX_VALUES):
            collector.add("body", "attribute", "xml_text", match.group(1) or match.group(2) or "")
    else:
        collector.add("body", None, "raw", text)


def _cdata_sections(text: str) -> Iterator[str]:
    """What CDATA sections hold, as the parser hands it over: text whose `<` and `&` are not markup,
    which the text-node expression (it stops at a `<`) never sees. An unclosed section runs to the
    end, as a lenient parser reads it. Found with `str.find`, one pass over the document."""
    position = text.find("<![CDATA[")
    while position >= 0:
        start = position + len("<![CDATA[")
        end = text.find("]]>", start)
        yield text[start:] if end < 0 else text[start:end]
        if end < 0:
            return
        position = text.find("<![CDATA[", end + 3)


def _json(request: Request, text: str, collector: Collector) -> None:
    """The parsed body when it meets the shared JSON limits; past them (deeper, longer, a duplicate
    key) the WAF still reads what a lenient parser would, so no limit of the validation is a place
    to hide a payload when validation is off or monitoring."""
    try:
        walk_json(request.json(), collector.pending.append)
        return
    except BodyError as error:
        if error.rule == "validation.json.duplicate_key":
            collector.add("body", None, "raw", text)  # the value another parser would keep
    try:
        value = orjson.loads(request.body or b"")
    except orjson.JSONDecodeError:
        collector.add("body", None, "raw", text)
        return
    walk_json(value, collector.pending.append)


def _foreign_json(body: bytes, encoding: str, collector: Collector) -> None:
    """JSON in UTF-16 or UTF-32: decoded as the application would decode it, then read like any."""
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = body.decode(encoding if encoding != "utf-8" else "latin-1", "replace")
    text = text.lstrip("\ufeff")
    if len(text) > collector.limits.max_total:
        collector.oversized = True
        text = text[: collector.limits.max_total]
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        collector.add("body", None, "raw", text)
        return
    walk_json(value, collector.pending.append)


# A JSON document inside a value (GraphQL's `variables=`, a `filter={"where": ...}` parameter, a JSON
# cookie) is read key by key and value by value, like a body; larger ones are read whole only.
JSON_IN_VALUE_MAX = 16 * 1024
JSON_IN_VALUE_LEAVES = 256


def json_document(text: str) -> Any | None:
    """The object or array `text` is, when it is one (and small enough to read leaf by leaf)."""
    stripped = text.strip()
    if len(stripped) < 2 or len(stripped) > JSON_IN_VALUE_MAX or stripped[0] + stripped[-1] not in ("{}", "[]"):
        return None
    try:
        document = orjson.loads(stripped)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(document, dict | list) or not document:
        return None
    # with a duplicate key, the value another parser would keep is only in the text: read it whole
    return None if has_duplicate_keys(stripped.encode("utf-8", "replace"), document) else document


def json_leaves(document: Any, parent: str) -> list[Value] | None:
    """The keys and strings of a document found in a value, under `parent`; None past the bound."""
    leaves: list[Value] = []
    walk_json(document, leaves.append)
    if len(leaves) > JSON_IN_VALUE_LEAVES:
        return None
    return [leaf._replace(parent=parent + leaf.parent[4:]) for leaf in leaves]


def walk_json(document: Any, add: Callable[[Value], None]) -> None:  # noqa: PLR0912  one walk over every JSON node kind, iterative and bounded: splitting it adds a call per node
    """Keys and string values at any depth, in document order; a location string is only built for
    containers. Iterative: no nesting depth changes what is read."""
    stack: list[tuple[str, Any]] = [("body", document)]
    while stack:
        path, node = stack.pop()
        children: list[tuple[str, Any]] = []
        if type(node) is dict:
            for key, item in node.items():
                add(Value(path, key, "json_key", key, False, item if key[:1] == "$" else None))
                kind = type(item)
                if kind is str:
                    if item:
                        add(Value(path, key, "json", item))
                elif kind is dict or kind is list:
                    children.append((f"{path}.{key}"[:256], item))
        elif type(node) is list:
            for index, item in enumerate(node):
                kind = type(item)
                if kind is str:
                    if item:
                        add(Value(path, index, "json", item))
                elif kind is dict or kind is list:
                    children.append((f"{path}.{index}"[:256], item))
        elif type(node) is str and node:
            add(Value(path, None, "json", node))
        if children:
            stack.extend(reversed(children))


def _multipart(request: Request, text: str, collector: Collector) -> None:
    try:
        fields = request.form(MAX_FORM_FIELDS)
    except FormError as error:
        if error.too_many:
            collector.oversized = True
        # Unparseable here may still be parsed by the application's lenient parser (bare LF
        # line ends, say): inspect the raw body and the file names it declares.
        collector.add("body", None, "raw", text)
        for match in itertools.islice(_MULTIPART_FILENAME.finditer(text), MAX_VALUES):
            collector.add("body", "filename", "filename", match.group(1))
        return
    for match in itertools.islice(_SPLIT_FILENAME.finditer(text), MAX_VALUES):
        collector.add("body", "filename", "filename", match.group(1))
    for field in fields:
        leaf = field.name[:64]
        collector.add("body", leaf, "form_key", field.name)
        if field.filename is not None:
            collector.add("body", f"{leaf}.filename", "filename", field.filename)
        content = transfer_decoded(field)
        if content is not None:
            # A part sent encoded is read decoded (what a decoding parser hands the application),
            # and as sent (what one that ignores the header hands it).
            collector.add_document("body", f"{leaf}({field.transfer_encoding})", "multipart", content)
        if field.filename is not None:
            collector.add_document("body", leaf, "multipart", field.value, longer=field.truncated)
        else:
            if field.truncated:
                collector.oversized = True
            collector.add("body", leaf, "multipart", field.value)


def transfer_decoded(field: FormField) -> str | None:
    """A part's content decoded from its Content-Transfer-Encoding, or None when it has none."""
    encoding = field.transfer_encoding
    if encoding not in ("base64", "quoted-printable"):
        return None
    raw = field.value.encode("utf-8", "surrogateescape")
    try:
        if encoding == "base64":
            raw = _NOT_BASE64.sub(b"", raw)
            data = base64.b64decode(raw + b"=" * (-len(raw) % 4))
        else:
            data = quopri.decodestring(raw)
    except (binascii.Error, ValueError):
        return None
    return data.decode("utf-8", "surrogateescape")
