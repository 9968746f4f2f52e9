"""Elements of rich text that run nothing with plain attributes, and how a tag's attributes are read.

An editor's output holds elements that the XSS readings refuse on sight: a form field's `<input>`, a
`<style>` for a promotion's colour, a map by `<embed>`, a newsletter `<form>`. Each runs something,
or hides a spoofed page, only through what it is given; these readings say where such an element
ends when what it is given is plain, so that the readings of `xss.py` go on after it.
"""

from __future__ import annotations

import re

ATTRIBUTE = re.compile(r"""([^\s=/>"'`]+)\s*(?:=\s*("[^"]*"?|'[^']*'?|`[^`]*`?|[^\s>]*))?""")
CONTROL = re.compile(r"[\s\x00-\x1f\u200b-\u200f\u2060\ufeff]+")


# An <input> of a form or a checklist in rich text: it runs nothing without a handler, `autofocus`,
# `formaction`, a `src` or a `style`, which are what make it an attack (`<input autofocus onfocus=...>`).
_INPUT_TAG = re.compile(
    r"<\s*input((?:\s+[a-z-]{1,30}(?:\s*=\s*(?:\"[^\"<>&`]{0,200}\"|'[^'<>&`]{0,200}'|[^\s\"'<>=`&]{1,200}))?){0,16})\s*/?>"
)
_INERT_INPUT_ATTRIBUTES = frozenset(
    {"type", "name", "value", "placeholder", "checked", "disabled", "required", "id", "class", "readonly",
     "maxlength", "minlength", "min", "max", "step", "size", "autocomplete", "inputmode", "title", "lang",
     "dir", "spellcheck", "tabindex", "aria-label", "aria-describedby", "aria-hidden"}
)  # fmt: skip


def inert_input_end(text: str, start: int) -> int:
    """Where an <input> opening at `start` ends when none of its attributes can run anything; 0 otherwise."""
    tag = _INPUT_TAG.match(text, start)
    if tag is None:
        return 0
    for attribute in ATTRIBUTE.finditer(tag.group(1)):  # names and values as _INPUT_TAG bounded them
        name, value = attribute.group(1), (attribute.group(2) or "").strip("\"'")
        if name not in _INERT_INPUT_ATTRIBUTES or (name == "type" and value == "image"):
            return 0
    return tag.end()


# Rich-text elements that run nothing with plain attributes:
# - a closed `<style>` of rules without `url(`, `@import`, escapes or a tag (a promotion's colour)
#   reads and loads nothing;
# - an `<object>`/`<embed>` of an https document runs it in that document's own origin, as
#   xss-active-iframe lets an https iframe do;
# - a `<form>` posting to a path of this site (a newsletter box) sends nothing elsewhere, and its end
#   tag closes it.
# A bare `<style>` or `<form>` is a probe for reflection and stays refused. So does a handler, a
# script URL, an absolute or `//` action, a `type` that is not a document's, any other attribute,
# or CSS that fetches or escapes.
_STYLE_ELEMENT = re.compile(
    r"<\s*style(?:\s+(?:type\s*=\s*[\"']?text/css[\"']?"
    r"|media\s*=\s*(?:\"[\w\s(),:.-]{0,100}\"|'[\w\s(),:.-]{0,100}'|[\w-]{1,40})))*\s*>"
    r"([^<\\{}]{0,512}\{[^<\\]{0,4096})<\s*/\s*style\s*>"
)
_CSS_FETCHES = re.compile(r"url\s*\(|@import|expression|behaviou?r|binding|javascript|vbscript|image-set|src\s*\(")
_EMBEDDED = re.compile(
    r"<\s*(object|embed)((?:\s+[a-z-]{1,30}(?:\s*=\s*(?:\"[^\"<>`]{0,500}\"|'[^'<>`]{0,500}'|[^\s\"'<>=`]{1,500}))?){0,12})\s*/?>"
)
_EMBEDDED_ATTRIBUTES = frozenset(
    {"data", "src", "type", "width", "height", "title", "class", "id", "name", "aria-label"}
)
_DOCUMENT_TYPE = re.compile(r"(?:application/pdf|image/(?!svg)[\w.+-]+|video/[\w.+-]+|audio/[\w.+-]+)\Z")
_FORM = re.compile(
    r"<\s*form((?:\s+[a-z-]{1,30}(?:\s*=\s*(?:\"[^\"<>`]{0,300}\"|'[^'<>`]{0,300}'|[^\s\"'<>=`]{1,300}))?){0,8})\s*>"
)
_FORM_ATTRIBUTES = frozenset(
    {"action", "method", "class", "id", "name", "autocomplete", "novalidate", "accept-charset", "enctype", "role",
     "aria-label"}
)  # fmt: skip
_SITE_PATH = re.compile(r"/(?![/\\])[\w./%~+-]*(?:\?[\w=&%+.-]*)?\Z")
_FORM_END = re.compile(r"<\s*/\s*form\s*>")


# A `<noscript>` is the ground of mutation XSS when what it holds reads differently with scripting
# on and off: a `</noscript>` or a tag inside an attribute's value. One holding only a tracking
# pixel's `<img>` or a tag manager's `<iframe>` (xss-active-iframe reads its source) with values free
# of angle brackets reads the same both ways; its end tag closes it.
_NOSCRIPT = re.compile(r"<\s*noscript\s*>")
_NOSCRIPT_CONTENT = re.compile(
    r"(?:[^<]{0,200}<\s*(?:img|iframe|/\s*iframe|a|/\s*a|p|/\s*p|span|/\s*span|div|/\s*div)"
    r"(?:\s+[a-z-]{1,30}(?:\s*=\s*(?:\"[^\"<>`]{0,500}\"|'[^'<>`]{0,500}'|[^\s\"'<>=`]{1,500}))?){0,12}\s*/?>){1,8}"
    r"[^<]{0,200}<\s*/\s*noscript\s*>"
)


def inert_noscript_end(text: str, start: int) -> int:
    """Where a `<noscript>` opening at `start` ends (after its end tag) when it holds only a pixel's
    or a tag manager's element with plain values; 0 otherwise."""
    opening = _NOSCRIPT.match(text, start)
    if opening is None:
        return 0
    content = _NOSCRIPT_CONTENT.match(text, opening.end())
    return content.end() if content is not None else 0


def inert_style_end(text: str, start: int) -> re.Match[str] | None:
    """The `<style>` element opening at `start` when its rules fetch nothing (`url(#id)`, a
    reference inside the same document, fetches nothing); None otherwise."""
    style = _STYLE_ELEMENT.match(text, start)
    if style is None or _CSS_FETCHES.search(style.group(1).lower().replace("url(#", "")):
        return None
    return style


def inert_rich_text_end(text: str, start: int) -> int:
    """Where an inert `<style>`, `<object>`, `<embed>` or `<form>` tag opening at `start` ends; 0 otherwise."""
    if _STYLE_ELEMENT.match(text, start):
        style = inert_style_end(text, start)
        return style.end() if style is not None else 0
    if embedded := _EMBEDDED.match(text, start):
        return embedded.end() if _inert_attributes(embedded.group(2), _EMBEDDED_ATTRIBUTES) else 0
    if form := _FORM.match(text, start):
        attributes = form.group(1)
        return form.end() if "action" in attributes and _inert_attributes(attributes, _FORM_ATTRIBUTES) else 0
    if ending := _FORM_END.match(text, start):
        return ending.end()
    return 0


def _inert_attributes(attributes: str, allowed: frozenset[str]) -> bool:
    for attribute in ATTRIBUTE.finditer(attributes):
        name = attribute.group(1).lower()
        value = CONTROL.sub("", (attribute.group(2) or "").strip("\"'")).lower()
        if name not in allowed:
            return False
        if name in ("data", "src") and not value.startswith("https:"):
            return False  # a script URL, `data:`, `//host`, or a path of this site run in this page's origin
        if name == "type" and not _DOCUMENT_TYPE.match(value):
            return False
        if name == "action" and not _SITE_PATH.match(value):
            return False  # another host (a spoofed login page), `javascript:`, `//host`
    return True


# A base64 value that decodes to an HTML document of its own (an e-mail template, an attachment):
# its skeleton (`<html>`, `<head>`, `<title>`, `<meta charset>`) is what such a document is made of,
# as namespaces are an XML document's; base64 is how data travels, not a splice into this page. What
# runs in it (a script, a handler, `http-equiv`) keeps it dangerous.
_HTML_DOCUMENT = re.compile(r"\s*(?:<!--[^<>]{0,200}-->\s*)?(?:<!doctype\s+html[^<>]{0,200}>\s*)?<html[\s>]")
_SKELETON = re.compile(r"<\s*/?\s*(?:html|head|title|meta|body)(?:\s[^<>]{0,300})?/?>")
_SKELETON_RUNS = re.compile(r"[\s/\"'](?:on[a-z]{3,}|http-equiv|xmlns|style)\s*=")


def document_skeleton_end(text: str, start: int, target: object) -> int:
    """Where the skeleton tag opening at `start` ends, in a base64 value decoding to an HTML document
    (`_HTML_DOCUMENT`); 0 otherwise."""
    if not getattr(target, "location", "").endswith("(base64)") or _HTML_DOCUMENT.match(text) is None:
        return 0
    tag = _SKELETON.match(text, start)
    return tag.end() if tag is not None and _SKELETON_RUNS.search(tag.group(0)) is None else 0
