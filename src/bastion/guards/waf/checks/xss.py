"""Cross-site scripting by HTML and JavaScript context, not by sample.

`html_injection` reads a value as a browser's tokenizer would: it finds the tags and their
attributes and asks whether any of them can run script or change how the page is parsed
(script-capable elements, namespace switches, event handlers, script URLs, CSS that executes, IE
data binding), and whether the value breaks out of an attribute to add a handler. Ordinary rich
text (`<p>`, `<a href="https://...">`, `<img src=... alt=...>`, tables, lists) passes.

`js_sink` reads a value as JavaScript after removing what obfuscates it (comments, whitespace,
`["name"]` member access, optional chaining) and looks for the calls injected script makes:
dialogs, cookie and document access, eval and its relatives, tagged-template invocation, JSFuck.
"""

from __future__ import annotations

import itertools
import operator
import re

from bastion.guards.waf.checks.inert_elements import ATTRIBUTE as _ATTRIBUTE
from bastion.guards.waf.checks.inert_elements import CONTROL as _CONTROL
from bastion.guards.waf.checks.inert_elements import (
    document_skeleton_end,
    inert_input_end,
    inert_noscript_end,
    inert_rich_text_end,
)
from bastion.guards.waf.checks.script_syntax import inert_script_end
from bastion.guards.waf.checks.svg import SVG_ICONS, SVG_NAMESPACES, SVG_OPEN, inert_svg_end, svg_data_urls_inert
from bastion.guards.waf.inspected import as_sent
from bastion.guards.waf.views import without_block_comments

URL_ATTRIBUTES = frozenset(
    [
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "xlink:href",
        "background",
        "dynsrc",
        "lowsrc",
        "poster",
        "codebase",
        "srcset",
        "to",
        "from",
        "values",
        "by",
        "ping",
        "cite",
        "longdesc",
        "usemap",
        "profile",
        "manifest",
    ]
)
ALWAYS_DANGEROUS_ATTRIBUTES = frozenset({"datasrc", "datafld", "dataformatas", "srcdoc", "formaction", "behavior"})
# Words that begin with "on" but are not event handlers.
NOT_EVENTS = frozenset(
    [
        "once",
        "one",
        "ones",
        "online",
        "only",
        "onset",
        "onto",
        "onward",
        "onwards",
        "onus",
        "ongoing",
        "onsite",
        "onscreen",
        "onboard",
        "onboarding",
        "onion",
        "onions",
        "onyx",
    ]
)
_TAG_WITH_ATTRIBUTES = re.compile(r"<\s*(/?)\s*([a-z!?][\w:.!?-]*)((?:\s|/)[^<>]{0,2000})")
_MAX_TAGS = 4096  # more than a window of the longest value read in one piece can hold
# A scheme needs its colon (`javascript-guide.html` is a relative path), spelled or as an entity.
_SCRIPT_SCHEME = re.compile(
    r"^(?:(?:javascript|vbscript|livescript|mocha)(?::|&colon;?|&#0*58;?|&#x0*3a;?)|data:(?!image/(?:png|jpe?g|gif|webp|avif)))"
)
_DANGEROUS_CSS = re.compile(
    r"[:a-z\\]expression\(|-moz-binding:|behaviou?r:|javascript:|vbscript:|@import|url\((?:['\"])?(?:javascript|vbscript|data:text)"
)
_CSS_SPACING = re.compile(r"[\s\x00-\x1f]*([:(])[\s\x00-\x1f]*")
_CSS_ESCAPE = re.compile(r"\\([0-9a-f]{1,6})\s?")
# Regexes that open with a character class or a literal: Python's engine then skips ahead quickly.
_BREAKOUT_HANDLER = re.compile(r"[\"'`/][\s/]{0,10}on([a-z]{3,40})\s{0,10}=\s{0,10}(?![\s{])")
_LEADING_HANDLER = re.compile(r"\s{0,10}on([a-z]{3,40})\s{0,10}=\s{0,10}(?![\s{])")
_HANDLER_CALL = re.compile(r"on([a-z]{3,40})\s{0,10}=\s{0,10}[\"'`(\s]{0,10}[a-z_$][\w$.]{0,60}\s{0,10}[(`]")
_SHORT_TAG = re.compile(r"<[^<>]{0,40}>")


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _css_is_dangerous(css: str) -> bool:
    if "/*" in css:
        css = without_block_comments(css)
    if "\\" in css:
        css = _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0x110000 else "", css)
        css = css.replace("\\", "")
    return bool(_DANGEROUS_CSS.search(_CSS_SPACING.sub(_GROUP_1, css)))


def _may_be_script_url(value: str) -> bool:
    """False when no removal of spacing or control characters can make `value` start with a
    script scheme: its first character is a letter or digit that starts none (`https://...`,
    `/path`: the usual link, and a page of them was a regex substitution each)."""
    first = value[:1]
    return not (first.isalnum() and first not in _SCRIPT_INITIALS) and first not in "/#?."


_SCRIPT_INITIALS = frozenset("jvlmdJVLMD")


def _attribute_verdict(tag: str, name: str, value: str, xml_document: bool) -> str:  # noqa: PLR0911  one verdict per attribute kind (handler, URL, style, SVG/XML)
    value = value.strip("\"'`")
    # JSX `onClick={handler}` is source code, not markup
    if name.startswith("on") and len(name) > 4 and name not in NOT_EVENTS and not value.startswith("{"):
        return f"event handler {name}"

    # what the HTML parser gives an svg anyway (its namespace, and XLink's: "adjust foreign attributes")
    svg_default = tag == "svg" and (name, value) in SVG_NAMESPACES
    if name.startswith("xmlns") and not xml_document and not svg_default:
        return "namespace declaration"  # in a document of its own (an XML body) namespaces are normal
    if name in ALWAYS_DANGEROUS_ATTRIBUTES:
        return f"attribute {name}"
    if name in URL_ATTRIBUTES and _may_be_script_url(value) and _SCRIPT_SCHEME.match(_CONTROL.sub("", value)):
        return f"script URL in {name}"
    if name == "style" and _css_is_dangerous(value):
        return "executable CSS"
    if tag == "link" and name == "rel" and value not in ("stylesheet", "icon", "canonical", "alternate"):
        return f"link rel={value[:20]}"
    return ""


# What an attribute with a verdict has in its name: a handler's `on`, `xmlns`, a name dangerous
# alone (or `rel`), or (with a value) a URL attribute or `style`.
_ALONE = re.compile("|".join([r"""(?:^|[\s/"'`=])on""", "xmlns", "rel", *sorted(ALWAYS_DANGEROUS_ATTRIBUTES)]))
# (`on` where an attribute's name starts: "configuration" or "application" in a value holds it too)
_WITH_A_VALUE = re.compile("|".join(sorted([*URL_ATTRIBUTES, "style"], key=len, reverse=True)))


def _may_have_a_verdict(attributes: str) -> bool:
    """False when no attribute of a tag can earn a verdict from _attribute_verdict: substring
    searches on the tag's attribute text, before it is read attribute by attribute (30 KB of
    `$(x < y 1`, each `< y` a tag of its own, took 7 ms)."""
    return _ALONE.search(attributes) is not None or ("=" in attributes and _WITH_A_VALUE.search(attributes) is not None)


# Where an attribute could earn a verdict, in a whole value: a superset of what `_read_tags` finds
# tag by tag, in a few scans that Python's engine starts from a literal or a small class. An
# attribute name follows a separator (the tag's own space or slash, a quote, `=`), so a handler is
# a separator, `on` and three more characters; a URL attribute's value may be a script URL unless
# its first character after quotes rules every scheme out (_may_be_script_url), whatever the name
# before its `=`; `style=`, a `link` element, a processing instruction, `xmlns` and the names
# dangerous alone need reading too. Without any of these no tag has a verdict: 30 KB of
# `<esi:include src="http://evil/"/` copies was read tag by tag (2.2 ms) for nothing.
_HANDLER_NAME = re.compile(r"""[\s=/>"'`]on[^\s=/>"'`]{3}""")
_RISKY_VALUE = re.compile(r"""=\s*+["'`]*+(?:[jvlmdJVLMD]|[^a-zA-Z0-9/#?.$])""")  # `${...}` opens no scheme
_STYLE = re.compile(r"style\s*=")  # on the lower-cased value: a caseless pattern has no literal fast scan
_LINK = re.compile(r"link[\s/]")
_NAMED = ("xmlns", "?import", "?xml-stylesheet", *sorted(ALWAYS_DANGEROUS_ATTRIBUTES))
# A stylesheet the document names by a relative path to an .xsl file of its own site (a Maven POM's
# `<?xml-stylesheet type="text/xsl" href="style.xsl"?>`): not one an attacker wrote into the document
# (`href="#s"`) or serves from elsewhere (`//`, `data:`, `javascript:`).
_LOCAL_STYLESHEET = re.compile(r"""\bhref\s*=\s*["']\s*[\w][\w./-]{0,200}\.xslt?\s*["']""", re.IGNORECASE)


def _may_have_a_tag_verdict(text: str) -> bool:
    lowered = text.lower()
    return (
        ("on" in lowered and _HANDLER_NAME.search(lowered) is not None)
        or ("=" in text and _RISKY_VALUE.search(text) is not None)
        or ("style" in lowered and _STYLE.search(lowered) is not None)
        or ("link" in lowered and _LINK.search(lowered) is not None)
        or any(name in lowered for name in _NAMED)
    )


def _tags(text: str, xml_document: bool) -> str:
    return _read_tags(text, xml_document) if _may_have_a_tag_verdict(text) else ""


def _read_tags(text: str, xml_document: bool) -> str:
    # Script-capable and namespaced elements are rules of their own (xss-dangerous-element, ...),
    # found by the multi-pattern scan; this reads attributes, of at most _MAX_TAGS tags. A tag
    # written the same as one already read has the same verdict (a page repeats its tags).
    seen: set[str] = set()
    for match in itertools.islice(_TAG_WITH_ATTRIBUTES.finditer(text), _MAX_TAGS):
        whole = match.group(0)
        if whole in seen:
            continue
        seen.add(whole)
        raw_name = match.group(2)
        if raw_name.startswith("!"):
            continue  # comments and DOCTYPE: the xxe rules read declarations
        if raw_name.startswith("?"):
            local = raw_name == "?xml-stylesheet" and _LOCAL_STYLESHEET.search(match.group(3)) is not None
            if raw_name in ("?import", "?xml-stylesheet") and not local:
                return f"processing instruction <{raw_name}"
            continue
        name = _local(raw_name)
        attributes = match.group(3)
        if name == "link" and "rel" not in attributes and not xml_document:
            return "element <link> without a stylesheet relation"
        if not _may_have_a_verdict(attributes):
            continue
        for attribute in _ATTRIBUTE.finditer(attributes):
            verdict = _attribute_verdict(name, attribute.group(1), attribute.group(2) or "", xml_document)
            if verdict:
                return verdict
    return ""


def _outside_tags(text: str) -> str:
    if "on" in text and "=" in text:  # what every handler reading needs (a page of links has neither `on`)
        verdict = _handlers(text)
        if verdict:
            return verdict
    if ("expression" in text or "binding" in text or "behavio" in text) and _css_is_dangerous(text):
        return "executable CSS"
    return ""


def _handlers(text: str) -> str:
    leading = _LEADING_HANDLER.match(text)
    matches = itertools.chain([leading] if leading else [], _BREAKOUT_HANDLER.finditer(text))
    for match in matches:
        if "on" + match.group(1) not in NOT_EVENTS:
            return f"attribute break-out to on{match.group(1)}"
    for match in _HANDLER_CALL.finditer(text):
        if match.start() and (text[match.start() - 1].isalnum() or text[match.start() - 1] == "."):
            continue  # a word that merely contains "on" (button=, caption=); a script's property
            # (`window.onload = function`): an attribute follows a space, a quote or a slash
        if "on" + match.group(1) not in NOT_EVENTS:
            return f"handler on{match.group(1)} calling script"
    return ""


# A base64 value that decodes to an XML document of its own: a prolog, or a root element in a
# namespace it declares itself (SAML's POST binding sends its response so, in a form field).
# Namespaces are how such a document is written, and base64 is how data, not markup, travels; in a
# fragment pasted into HTML they are a parser switch.
_XML_DOCUMENT = re.compile(r"\s*(?:<\?xml\s|<([a-z][\w.-]*):[a-z][\w.-]*\s[^<>]*\bxmlns:\1\s*=)")


def _xml_document(text: str, target: object) -> bool:
    if getattr(target, "kind", "") == "xml":
        return True
    return getattr(target, "location", "").endswith("(base64)") and _XML_DOCUMENT.match(text) is not None


def namespaced_element(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """A namespaced element with attributes (`<xsl:template match=...>`, `<v:shape style=...>`) in a
    fragment; not in an XML document of its own, whose elements are namespaced by nature."""
    return (0, "") if _xml_document(text, target) else (5, "namespaced element")


_IFRAME = re.compile(r"<\s*(?:[a-z][\w.-]*:)?iframe[\s/]+", re.IGNORECASE)
_MAX_IFRAMES = 64
_TAG_END = re.compile(r"[<>]")


def script_url(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """xss-javascript-url's matches, but SVG data URLs of shapes only (`svg_data_urls_inert`)."""
    inert: bool | None = None
    for found in pattern.finditer(text):
        if "svg" in found.group(0):
            if inert is None:
                # percent-decoded: a form sends `+`, `/` and `=` encoded
                inert = svg_data_urls_inert(as_sent(target, text))
            if inert:
                continue
        return 5, found.group(0)[:80]
    return 0, ""


def script_element(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """xss-script-element's matches, but a bare `<script>` of words (see `inert_script_end`) and an
    `<object>`/`<embed>` of an https document with plain attributes (`inert_elements.inert_rich_text_end`)."""
    inert_until = 0
    for found in pattern.finditer(text):
        if found.start() < inert_until:
            continue
        end = inert_script_end(text, found.start()) or inert_rich_text_end(text, found.start())
        if not end:
            return 5, found.group(0)[:80]
        inert_until = end
    return 0, ""


def dangerous_element(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """xss-dangerous-element's matches, but an inline SVG of shapes with presentation attributes
    and plain text (an icon in rich text) switches no namespace that matters: nothing in it runs,
    and it ends before anything else is read; nor does an <input> with only a form field's plain
    attributes (a checklist in rich text), nor a bare `<script>` of words (`inert_script_end`).
    Any other element, attribute (an `on...` handler, an `href`, `autofocus`), escape or an
    unclosed `<svg` keeps it dangerous."""
    inert_until = 0
    inert = 0  # icons and form fields let by, at most SVG_ICONS in one value
    for found in pattern.finditer(text):
        if found.start() < inert_until:
            continue
        if inert < SVG_ICONS:
            if SVG_OPEN.match(text, found.start()):
                end = inert_svg_end(text, found.start())
            elif text.startswith("input", found.start() + 1):
                end = inert_input_end(text, found.start())
            else:
                end = (
                    inert_script_end(text, found.start())
                    or inert_rich_text_end(text, found.start())
                    or inert_noscript_end(text, found.start())
                    or document_skeleton_end(text, found.start(), target)
                )
            if end:
                inert += 1
                inert_until = end
                continue
        return 5, found.group(0)[:80]
    return 0, ""


def active_iframe(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """An iframe that can run something in this page: `srcdoc`, an event handler, or a source that
    is not an https URL (`javascript:`, `data:`, `//host`, or `http:`, which an https page would
    not load). A video or a map embedded from another origin runs nothing in this page's origin.
    Attributes are read one by one up to the tag's end, at most 2,000 characters of it: no
    backtracking over long runs of spaces, and a page of unclosed `<iframe a` costs what one does."""
    for count, found in enumerate(_IFRAME.finditer(text)):
        if count >= _MAX_IFRAMES:
            return 5, f"more than {_MAX_IFRAMES} iframes"
        end = _TAG_END.search(text, found.end(), found.end() + 2000)  # a tag ends at `>`, or where another opens
        tag = text[found.end() : end.start() if end else found.end() + 2000]
        for attribute in _ATTRIBUTE.finditer(tag):
            name = attribute.group(1).lower()
            if name == "srcdoc" or name.startswith("on"):
                return 5, f"iframe with {name[:40]}"
            if name == "src":
                value = _CONTROL.sub("", (attribute.group(2) or "").strip("\"'`")).lower()
                if not value.startswith("https:"):
                    return 5, f"iframe loading {value[:40] or 'nothing'}"
    return 0, ""


def html_injection(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    xml_document = _xml_document(text, target)
    verdict = _tags(text, xml_document) if "<" in text else ""
    if not verdict:
        verdict = _outside_tags(text)
    if not verdict and "<" in text:
        # Filters that delete tags rejoin what the tags split: `o<x>nfocus=alert<x>(1)`.
        stripped = _SHORT_TAG.sub("", text)
        if stripped != text:
            verdict = _outside_tags(stripped)
    return (5, verdict) if verdict else (0, "")


# Spacing before and after member access, brackets and calls, as two expressions that each open with
# a class (one with a leading look-behind made Python's engine try every position of a window).
_JS_SPACE_BEFORE = re.compile(r"\s+(?=[.\[\])`?])")
_JS_SPACE_AFTER = re.compile(r"([.\[\])`?(])\s+")
_BRACKET_MEMBER = re.compile(r"\[\s*(['\"`])([a-z_$][\w$]*)\1\s*\]")


# Replacements as functions, not templates: Python 3.11 expands a template such as r"\1" in Python
# for every match (2.6x the time of a C callable on a value full of matches).
_GROUP_1 = operator.itemgetter(1)


def _joined_string(m: re.Match[str]) -> str:
    return f"'{m[2]}{m[4]}'"


def _dotted_member(m: re.Match[str]) -> str:
    return "." + m[2]


def _word(word: str, not_after: str = r"[\w$.]") -> str:
    """`word` not preceded by `not_after`, written to open with its first letter (the look-behind
    comes after it): an alternation whose every branch opens with a literal lets Python's engine
    skip to those characters, where a leading look-behind made it try every position (the sink
    expression took 0.9 ms per 4 KB window, 0.1 ms so)."""
    return f"{word[0]}(?<!{not_after}{word[0]}){word[1:]}"


_CALLED = r"(?:\((?!\))|`|\.(?:call|apply|bind)\b)"  # not prose's "alert()"
_MEMBER = r"\.(?:alert|prompt|confirm|eval|document|location)\b"
# A word after a read of document.cookie or .domain on the same line ("document.cookie explained"):
# no script puts a name there (it does not parse), and a read that nothing uses sends nothing. In
# the expression, so a flood of such mentions is passed over in C (`in` and `instanceof` continue an
# expression and do not count).
_WORD_AFTER = r"[ \t]+(?!in(?:stanceof)?\b)[a-z]{2,}\b"
_JS_SINK = re.compile(
    "|".join(
        [
            *(_word(name) + _CALLED for name in ("alert", "prompt", "confirm")),
            _word("document", r"\w") + r"\)*\.(?:(?:cookie|domain)(?!" + _WORD_AFTER + r")|write(?:ln)?\()",
            *(_word(name) + _MEMBER for name in ("top", "self", "parent", "frames", "globalthis", "window")),
            *(_word(name) + r"\[\s*[\"'`(]" for name in ("top", "self", "parent", "frames", "globalthis")),
            _word("eval") + r"\((?!\))",
            _word("new", r"\w") + r" activexobject\(",
            _word("string", r"\w") + r"\.fromcharcode\(",
            r"\.(?:call|apply|bind)`",
            *(name + r"\}" for name in ("alert", "prompt", "confirm", "eval")),
            r"\(!\[\]\+\[\]\)",
            r"!\+\[\]",
            r"\[\]\[\(",
            _word("import", r"\w") + r"\(['\"`](?:https?:)?//",
            _word("navigation", r"\w") + r"\.navigate\b",
            # a sink handed over as a callback or a timer's code: [1].map(alert), settimeout('alert(1)')
            r"\.(?:map|foreach|filter|find|some|every|then|catch|reduce)\((?:alert|prompt|confirm|eval|print)\)",
            *(
                _word(name) + r"\(\s*['\"`][^'\"`]{0,80}(?:alert|prompt|confirm|eval)\("
                for name in ("settimeout", "setinterval", "function")
            ),
        ]
    )
)
_PARENTHESISED_NAME = re.compile(r"\(\s*([a-z_$][\w$.]*)\s*\)(?=\s*[(`])")
_STRING_CONCAT = re.compile(r"(['\"`])([\w$]*)\1\s*\+\s*(['\"`])([\w$]*)\3")


def js_view(text: str) -> str:
    """JavaScript with comments, spacing and string-keyed member access normalised away."""
    if "/*" in text:
        text = without_block_comments(text)
    if " " in text or "\t" in text or "\n" in text:
        text = _JS_SPACE_AFTER.sub(_GROUP_1, _JS_SPACE_BEFORE.sub("", text))
    for _ in range(4):  # 'al'+'ert' is 'alert'; (alert)(1) and ((alert))(1) call alert
        joined = _STRING_CONCAT.sub(_joined_string, text) if "+" in text else text
        joined = _PARENTHESISED_NAME.sub(_GROUP_1, joined) if "(" in joined else joined
        if joined == text:
            break
        text = joined
    if "[" in text:
        text = _BRACKET_MEMBER.sub(_dotted_member, text)
    return text.replace("?.(", "(").replace("?.", ".")


# A dialog asked as the condition of application code, with a question in words for its argument
# (`if (confirm('Delete this item?'))`, `return confirm("Are you sure?")`): what code snippets and
# inline handlers hold. Probes show a marker instead (`confirm(1)`, `alert(document.domain)`).
_QUESTION_DIALOG = re.compile(
    r"(?:\bif\s*\(\s*!?|\breturn\s+!?)(?:confirm|prompt)\((['\"])[a-z][a-z ,']*\s[a-z ,']*\?\1\)"
)


def js_sink(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    view = js_view(text)
    for found in _JS_SINK.finditer(view):
        if found.group(0).startswith(("confirm", "prompt")) and _is_question(view, found.start()):
            continue
        return 5, f"script sink {found.group(0)[:40]}"
    return 0, ""


def _is_question(view: str, start: int) -> bool:
    return any(q.end() > start >= q.start() for q in _QUESTION_DIALOG.finditer(view, max(0, start - 12), start + 200))
