"""Inline SVG drawn with shapes only: an icon in rich text, not a switch of the parser's namespace.

`xss-dangerous-element` lists `svg` because it moves the HTML parser into another namespace, the
ground of mutation XSS. An SVG of shapes with presentation attributes and plain text, closed within
a few KB, runs nothing and ends before anything else is read; anything else keeps it dangerous.
The same reading decides whether an SVG data URL (an icon, an avatar) is only a drawing.
"""

from __future__ import annotations

import itertools
import re

from bastion.guards.waf.checks.inert_elements import inert_style_end
from bastion.guards.waf.decode import TEXT_LESS_THAN, base64_text

SVG_OPEN = re.compile(r"<\s*svg(?:[\s/>]|$)")
_SVG_TAG = re.compile(
    r"</?(?P<name>[a-z][\w:-]*)(?P<attributes>(?:\s+[^\s<>=/]+(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>=`]+))?)*)\s*/?>"
)
_SVG_ATTRIBUTE = re.compile(r"([^\s<>=/]+)(?:\s*=\s*(\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>=`]+))?")
_SVG_SHAPES = frozenset(
    [
        "svg",
        "g",
        "path",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "rect",
        "defs",
        "lineargradient",
        "radialgradient",
        "stop",
        "clippath",
        "mask",
        "symbol",
        "title",
        "desc",
        "text",
        "tspan",
    ]
)
_SVG_PRESENTATION = frozenset(
    [
        "xmlns",
        "width",
        "height",
        "viewbox",
        "fill",
        "fill-rule",
        "fill-opacity",
        "clip-rule",
        "clip-path",
        "mask",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-opacity",
        "opacity",
        "d",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "points",
        "transform",
        "class",
        "id",
        "role",
        "aria-hidden",
        "aria-label",
        "aria-labelledby",
        "focusable",
        "version",
        "preserveaspectratio",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientunits",
        "gradienttransform",
        "font-size",
        "font-family",
        "font-weight",
        "text-anchor",
        "xmlns:xlink",
        "dominant-baseline",
        "vector-effect",
        "shape-rendering",
    ]
)
_PLAIN_VALUE = re.compile(r"[\"']?[\w\s#.,%:;()+-]*[\"']?")
# What the HTML parser gives every <svg> anyway, and what an SVG file must declare: no switch
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# ... and XLink's, which every design tool's export declares (Illustrator, Inkscape): a name, not a fetch
SVG_NAMESPACES = frozenset({("xmlns", SVG_NAMESPACE), ("xmlns:xlink", "http://www.w3.org/1999/xlink")})
# A reference that is, or decodes to one that is, an angle bracket or a numbered character (`&lt`
# needs no `;`): what re-serialised text turns into markup. `A&amp;B` or `R&D` in a label is not.
_ANGLE_REFERENCE = re.compile(r"&(?:amp;)*(?:lt|gt|#)")

_SVG_SPAN = 4096  # an icon's markup, at most: past it the svg is read as any other
SVG_ICONS = 64  # icons in one value, at most


def inert_svg_end(text: str, start: int) -> int:
    """Where the inline SVG opening at `start` ends (after its `</svg>`) when it holds only shapes
    with presentation attributes and plain text; 0 otherwise."""
    opening = _SVG_TAG.match(text, start)
    if opening is not None and opening.group(0).endswith("/>") and _plain_attributes(opening["attributes"]):
        return opening.end()  # `<svg xmlns="..." viewBox="..."/>`: an empty drawing
    close = text.find("</svg>", start, start + _SVG_SPAN)
    if close < 0:
        return 0
    position = start
    while position < close:
        tag = _SVG_TAG.match(text, position)
        if tag is not None and tag["name"] == "style":
            tag = inert_style_end(text, position)  # a design tool's class rules, fetching nothing
        elif tag is not None and (tag["name"] not in _SVG_SHAPES or not _plain_attributes(tag["attributes"])):
            tag = None
        if tag is None:
            return 0
        after = text.find("<", tag.end(), close + 1)
        between = text[tag.end() : after] if after >= 0 else ""
        if after < 0 or _ANGLE_REFERENCE.search(between) or TEXT_LESS_THAN in between:
            return 0  # a reference to `<` or `>`, or an escaped `<` that decoding kept: an mXSS's ground
        position = after
    return close + len("</svg>")


def _plain_attributes(attributes: str) -> bool:
    """Presentation attributes with plain values only (and the SVG namespace)."""
    for attribute in _SVG_ATTRIBUTE.finditer(attributes):
        name, value = attribute.group(1), attribute.group(2) or ""
        if name not in _SVG_PRESENTATION and not name.startswith("data-"):
            return False
        if (name, value.strip("\"'")) in SVG_NAMESPACES:
            continue
        if ("url(" in value and "url(#" not in value) or not _PLAIN_VALUE.fullmatch(value):
            return False
    return True


# An SVG data URL in a value as the client sent it (base64 is case-sensitive: the folded text
# cannot be decoded): its document is base64 after `;base64,`, else the text after the comma.
_SVG_DATA_URL = re.compile(r"data:image/svg[+ ]xml((?:;[\w=.-]{1,64}){0,4}),", re.IGNORECASE)  # a form's `+` is a space
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]*={0,2}")
_XML_DECLARATION = re.compile(r"\s*<\?xml[^<>]{0,200}\?>\s*")
_SVG_DATA_SPAN = 8192
_SVG_DATA_URLS = 16


def _inert_svg_document(raw: str, url: re.Match[str]) -> bool:
    body = raw[url.end() : url.end() + _SVG_DATA_SPAN]
    if "base64" in url.group(1).lower():
        run = _BASE64_RUN.match(body)
        decoded = base64_text(run.group(0)) if run is not None else None
        if decoded is None:
            return False
        body = decoded
    body = body.lower()
    declaration = _XML_DECLARATION.match(body)
    opening = declaration.end() if declaration else 0
    return SVG_OPEN.match(body, opening) is not None and inert_svg_end(body, opening) > 0


def svg_data_urls_inert(raw: str) -> bool:
    """Whether every `data:image/svg+xml` URL in the value holds an SVG of shapes only (an icon, an
    avatar): nothing in it runs, wherever it is opened."""
    urls = list(itertools.islice(_SVG_DATA_URL.finditer(raw), _SVG_DATA_URLS + 1))
    return 0 < len(urls) <= _SVG_DATA_URLS and all(_inert_svg_document(raw, url) for url in urls)
