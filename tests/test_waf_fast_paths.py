"""Shortcuts of the WAF's technique checks decide exactly what the long way decides (issue 17's
worst-case budget: a 30 KB page of links took 10 ms)."""

from __future__ import annotations

import re
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bastion.guards.waf.checks import CHECKS
from bastion.guards.waf.checks.cmdi import _DANGEROUS_TAIL, _Lead, _nothing_can_follow
from bastion.guards.waf.checks.php import DANGEROUS, _names, rebuilt_name
from bastion.guards.waf.checks.sql_statements import _ANY_STATEMENT_KEYWORD, _STATEMENT_KEYWORD, statement_keywords
from bastion.guards.waf.checks.xss import (
    _CONTROL,
    _JS_SINK,
    _JS_SPACE_AFTER,
    _JS_SPACE_BEFORE,
    _SCRIPT_SCHEME,
    _may_be_script_url,
)
from bastion.guards.waf.engine import WAFEngine
from bastion.guards.waf.glance import base64_runs
from bastion.guards.waf.inspected import Inspected, Value
from bastion.guards.waf.rules import _alternation, _parse, load_rules
from bastion.guards.waf.shell_words import _SHELL_GLUE_ANY, _SHELL_GLUE_STRONG
from bastion.guards.waf.views import (
    _EMPTY_EXPONENT,
    _EMPTY_EXPONENT_HINT,
    _PATH_JUNK,
    _PATH_SLASHES,
    _PLUS_SPACE,
    _SPLIT_WORD,
    _WILDCARD_DOTS,
    _single_slashes,
    path_view,
    single_spaced,
    sql_view,
    views,
)

ssrf_module = sys.modules["bastion.guards.waf.checks.ssrf"]
sqli_module = sys.modules["bastion.guards.waf.checks.sqli"]
decode_module = sys.modules["bastion.guards.waf.decode"]
_BACKSLASH_ESCAPE = decode_module._BACKSLASH_ESCAPE
views_module = sys.modules["bastion.guards.waf.views"]


def _compiled(module: object) -> bool:
    """Compiled by mypyc (`make test-native`): its functions call each other directly, so a count
    taken by replacing one of them sees nothing; the plain-Python run takes it."""
    return str(getattr(module, "__file__", "")).endswith(tuple(EXTENSION_SUFFIXES))


needs_plain_ssrf = pytest.mark.skipif(_compiled(ssrf_module), reason="counts calls inside a compiled module")
needs_plain_sqli = pytest.mark.skipif(_compiled(sqli_module), reason="counts calls inside a compiled module")
_URL, urls = ssrf_module._URL, ssrf_module.urls
php_module = sys.modules["bastion.guards.waf.checks.php"]
xss_module = sys.modules["bastion.guards.waf.checks.xss"]
PREFIXES = ["", " ", "\t", "\n", "\x00", "\x01", "\x1f", "\u200b", "\u2060", "\ufeff", "  \t"]
SCHEMES = ["javascript:", "vbscript:", "livescript:", "mocha:", "data:text/html,", "https://", "/x", "#a", "j", ""]


def test_no_value_that_reads_as_a_script_url_is_skipped() -> None:
    for prefix in PREFIXES:
        for scheme in SCHEMES:
            value = prefix + scheme + "alert(1)"
            if _SCRIPT_SCHEME.match(_CONTROL.sub("", value)):
                assert _may_be_script_url(value), value


@given(st.text(max_size=40))
def test_the_script_url_shortcut_never_hides_one(value: str) -> None:
    if _SCRIPT_SCHEME.match(_CONTROL.sub("", value.lower())):
        assert _may_be_script_url(value.lower())


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60))
def test_printable_ascii_without_0x_or_percent_has_no_junk_and_no_odd_slash(text: str) -> None:
    """What path_view no longer runs on such text would not have changed it."""
    if "0x" in text or "%" in text:
        return
    assert _PATH_JUNK.sub("", text) == text
    assert _PATH_SLASHES.sub("/", text) == text


def test_path_view_still_reads_odd_slashes_and_junk() -> None:
    assert path_view("..0x2f..0x2fetc0x2fpasswd") == "../../etc/passwd"
    assert path_view("..\u2215..\u2215etc") == "../../etc"
    assert path_view("..\x01/..\x02/etc") == "../../etc"
    assert path_view("..%gz..%gzetc") == "../../etc"


@needs_plain_ssrf
def test_both_url_rules_read_a_value_once_and_each_gets_its_own_answer() -> None:
    ssrf, ssrf_host = CHECKS["ssrf"], CHECKS["ssrf_host"]
    scheme_first = "see file:///etc/passwd and http://127.0.0.1/admin"
    assert ssrf(scheme_first, None)[1] == "file: URL"
    assert ssrf_host(scheme_first, None)[0] == 5  # past the scheme, the loopback host
    links = " ".join(f'<a href="https://site{i}.example/">x</a>' for i in range(50))
    assert ssrf(links, None) == (0, "")
    assert ssrf_host(links, None) == (0, "")
    calls = []
    original = ssrf_module._read_urls

    def counted(text: str, raw: object, *, schemes: bool) -> tuple[int, str]:
        calls.append(schemes)
        return original(text, raw, schemes=schemes)

    ssrf_module._read_urls = counted
    try:
        fresh = links + " "  # a new value: not read yet
        assert ssrf(fresh, None) == ssrf_host(fresh, None) == (0, "")
        other = "http://10.0.0.1/x"
        assert ssrf_host(other, None)[0] == 5
        assert ssrf(fresh, None) == (0, "")  # still known after another value was read
    finally:
        ssrf_module._read_urls = original
    assert calls == [True, True]  # the page once, the other value once


# The dangerous-argument expression as first written, each branch where it starts: the long way.
_DANGEROUS_TAIL_WRITTEN = re.compile(
    r"/etc/(?:passwd|shadow|hosts|group|issue)|/bin/(?:ba|z|k|c)?sh\b|/dev/tcp/|\b(?:nc|ncat|netcat)\b[^\n]{0,40}\s-[a-z]*e"
    r"|\|\s*(?:ba|z|k|da)?sh\b|\$\{ifs\}|[a-z]:\\\\windows|/tmp/[\w.-]+\s*(?:;|&&|\|)|\brm\s+-[a-z]*[rf][a-z]*\s+/"
    r"|\bping\s+(?:-[a-z]+\s+)*-[nc]\s*\d{2,}\s+(?:127\.0\.0\.1|localhost|::1)\b"
)
_TAIL_PIECES = ["nc", "ncat", "netcat", " -e", "e", "rm", " -rf /", "ping", " -c 10 ", "127.0.0.1", "c:\\\\windows"]
_TAIL_PIECES += [":\\\\windows", "x", " ", "/", "|sh", "| bash", "${ifs}", "/tmp/a;", "/etc/passwd", "/bin/sh", "_nc"]
_TAIL_PIECES += ["anc", "arm", "aping", "\n", "1", "z:", "é", "-"]


@given(st.lists(st.sampled_from(_TAIL_PIECES), max_size=8), st.integers(min_value=0, max_value=80))
def test_the_dangerous_argument_expression_finds_what_it_was_written_to(pieces: list[str], start: int) -> None:
    """Rewritten so that every branch opens with a literal (7 -> 1.3 ms for a 30 KB value), it must
    find a dangerous argument wherever the first form did; it may find one a character later (a
    drive letter read behind its colon)."""
    text = "".join(pieces)
    start = min(start, len(text))
    if _DANGEROUS_TAIL_WRITTEN.search(text, start):
        assert _DANGEROUS_TAIL.search(text, start)
    assert {m.end() for m in _DANGEROUS_TAIL_WRITTEN.finditer(text)} <= {
        m.end() for m in _DANGEROUS_TAIL.finditer(text)
    }


# Round seven (issue 17's worst case): expressions rewritten to open with a rare literal, and
# substitutions skipped when substring tests show they would change nothing. Each against its first form.
_SPACE_PIECES = st.sampled_from(
    [" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "a", "é", "/", "//", "+"]
)


@given(st.lists(_SPACE_PIECES, max_size=12).map("".join))
def test_single_spaced_is_the_whitespace_substitution(text: str) -> None:
    assert single_spaced(text) == re.sub(r"\s+", " ", text)


@given(st.lists(_SPACE_PIECES, max_size=12).map("".join))
def test_single_slashes_is_the_repeated_slash_substitution(text: str) -> None:
    assert _single_slashes(text) == re.sub(r"/{2,}", "/", text)


_PLUS_FIRST_FORM = re.compile(r"(?<=[^\d\s+])\++|\++(?=[^\d\s+])")


@given(st.text(alphabet="a1 +\t+x+9'", max_size=16))
def test_the_plus_expression_replaces_what_its_first_form_did(text: str) -> None:
    assert _PLUS_SPACE.sub(" ", text) == _PLUS_FIRST_FORM.sub(" ", text)


_GLUE_ANY_FIRST_FORM = re.compile(r"[a-z0-9/](?:\\|''|\"\"|``|['\"$`^])[a-z0-9/@*{(`]")
_GLUE_STRONG_FIRST_FORM = re.compile(
    r"[a-z0-9/](?:\\|''|\"\"|``|\$@|\$\*|\$\{\}|\$\(\))[a-z0-9/@*{]|[a-z0-9/]['\"][a-z0-9/]+['\"][a-z0-9/]"
)


@given(st.text(alphabet="a1/\\'\"`$^@*{}()x ;", max_size=14))
def test_the_shell_glue_expressions_find_what_their_first_forms_found(text: str) -> None:
    assert (_SHELL_GLUE_ANY.search(text) is None) == (_GLUE_ANY_FIRST_FORM.search(text) is None)
    assert (_SHELL_GLUE_STRONG.search(text) is None) == (_GLUE_STRONG_FIRST_FORM.search(text) is None)


@given(st.text(alphabet="1.eE(),x ", max_size=14))
def test_no_empty_exponent_goes_without_its_hint(text: str) -> None:
    if _EMPTY_EXPONENT.search(text):
        assert _EMPTY_EXPONENT_HINT.search(text)


_SQL_PIECES = ["1", "'a'", "'", ")", "(", ";", " ", "union", "all", "select", "drop", "table", "x", "true", "null"]
_SQL_PIECES += ["0x1f", "::int", "{x", "}", "update", "insert", "into", "from", "(select", "and", "=", "precision", "]"]


@given(st.lists(st.sampled_from(_SQL_PIECES), max_size=12).map(" ".join))
def test_every_statement_keyword_contains_what_the_quick_search_finds(text: str) -> None:
    """statement_keywords searches from the first quick hit: every keyword overlaps a quick hit (`; union`
    is one quick hit holding the keyword `union`), and the search from there finds them all."""
    quick = [(m.start(), m.end()) for m in _ANY_STATEMENT_KEYWORD.finditer(text)]
    for keyword in _STATEMENT_KEYWORD.finditer(text):
        assert any(start < keyword.end() and keyword.start() < end for start, end in quick), keyword.group(0)
    assert [m.span() for _, m in statement_keywords(text)] == [m.span() for m in _STATEMENT_KEYWORD.finditer(text)]


_TARGETS = (
    r"(?:etc/(?:passwd|shadow|group|issue|hosts)|boot\.ini|win\.ini|system32/|php\.ini|httpd\.conf|\.htaccess"
    r"|\.htpasswd|\.ssh/|proc/self/|web\.config|\.env\b|wp-config\.php|apache2?/|desktop\.ini)"
)
_DIRECTORIES = (
    r"(?:etc|var|usr|proc|sys|boot|root|opt|srv|s?bin|lib|dev|windows|winnt|program files[^/]{0,6}|inetpub|users"
    r"|documents and settings)/"
)
# traversal-parent-to-target as first written: quadratic in Python for a value of `../` after a false lead
_PARENT_TO_TARGET_FIRST_FORM = re.compile(
    rf"(?:^|[/=?])\.\.+/+(?:[^/\s]+/+){{0,12}}{_TARGETS}|(?:^|[/=?])\.\.+/+(?:\.\.+/+)*{_DIRECTORIES}"
    r"|(?:^|[/=?])\.\.+/+(?:\.\.+/+)*\.[a-z]",
    re.IGNORECASE | re.DOTALL,
)
_PATH_PIECES = ["..", ".", "/", "//", "=", "?", "etc", "/passwd", "x", " ", ".htaccess", "var", "a", "...", "y/", ".x"]


@given(st.lists(st.sampled_from([*_PATH_PIECES, "./", "../", "a/"]), max_size=16).map("".join))
def test_the_parent_step_rule_finds_what_its_first_form_found(text: str) -> None:
    rule = next(rule for rule in load_rules() if rule.id == "traversal-parent-to-target")
    written = re.compile(rule.pattern, re.IGNORECASE | re.DOTALL)
    assert (written.search(text) is None) == (_PARENT_TO_TARGET_FIRST_FORM.search(text) is None)


def test_the_parent_step_rule_counts_twelve_segments_after_the_last_step() -> None:
    rule = next(rule for rule in load_rules() if rule.id == "traversal-parent-to-target")
    written = re.compile(rule.pattern, re.IGNORECASE | re.DOTALL)
    for segments in range(16):
        for steps in ("../", "../../", "../../../"):
            text = "x=" + steps + "a/" * segments + "etc/passwd"
            assert (written.search(text) is None) == (_PARENT_TO_TARGET_FIRST_FORM.search(text) is None), text


_JS_SINK_FIRST_FORM = re.compile(
    r"(?<![\w$.])(?:alert|prompt|confirm)(?:\((?!\))|`|\.(?:call|apply|bind)\b)"
    r"|\bdocument\)*\.(?:cookie|domain|write(?:ln)?\()"
    r"|(?<![\w$.])(?:top|self|parent|frames|globalthis|window)\.(?:alert|prompt|confirm|eval|document|location)\b"
    r"|(?<![\w$.])(?:top|self|parent|frames|globalthis)\[\s*[\"'`(]"
    r"|(?<![\w$.])eval\((?!\))|\bnew activexobject\(|\bstring\.fromcharcode\("
    r"|\.(?:call|apply|bind)`|(?:alert|prompt|confirm|eval)\}"
    r"|\(!\[\]\+\[\]\)|!\+\[\]|\[\]\[\("
    r"|\bimport\(['\"`](?:https?:)?//|\bnavigation\.navigate\b"
    r"|\.(?:map|foreach|filter|find|some|every|then|catch|reduce)\((?:alert|prompt|confirm|eval|print)\)"
    r"|(?<![\w$.])(?:settimeout|setinterval|function)\(\s*['\"`][^'\"`]{0,80}(?:alert|prompt|confirm|eval)\("
)
_JS_PIECES = ["alert", "prompt", "confirm", "(", ")", "`", ".call", "document", ".cookie", "top", "self", "[", "]"]
_JS_PIECES += ["'", "eval", "new activexobject(", "string.fromcharcode(", "{", "}", "!", "+", "import(", "'//", "x"]
_JS_PIECES += ["navigation.navigate", ".map(", "settimeout(", "function(", " ", "$", ".", "window", ".location", "é"]


@given(st.lists(st.sampled_from(_JS_PIECES), max_size=10).map("".join))
def test_the_sink_expression_finds_what_its_first_form_found(text: str) -> None:
    """Every branch now opens with a literal (0.9 -> 0.1 ms per 4 KB window): same matches, same order."""
    assert [m.span() for m in _JS_SINK.finditer(text)] == [m.span() for m in _JS_SINK_FIRST_FORM.finditer(text)]


@given(
    st.lists(
        st.sampled_from([" ", "  ", "\t", "\n", ".", "[", "]", ")", "(", "`", "?", "a", "'", "\u2003"]), max_size=12
    ).map("".join)
)
def test_js_spacing_is_removed_as_the_one_expression_did(text: str) -> None:
    first_form = re.sub(r"\s+(?=[.\[\])`?])|(?<=[.\[\])`?(])\s+", "", text)
    assert _JS_SPACE_AFTER.sub(r"\1", _JS_SPACE_BEFORE.sub("", text)) == first_form


def _rebuilt_first_form(expression: str) -> str:
    expression = php_module._CAST.sub(" ", expression)
    expression = php_module._CONCAT.sub("", expression)
    expression = php_module._INDEX.sub("", expression)
    found = re.search(r"([a-z_]\w*)$", php_module._NOISE.sub("", expression))
    return found.group(1) if found else ""


_CALLEE_PIECES = ["system", "sys", "tem", "'", '"', ".", "(", ")", "[0]", "{1}", "(string)", "(array)", " ", "exec"]
_CALLEE_PIECES += ["x", "mail", "1", "_", "é", "[", "]", "string", "\t", "9a", "|", "=", "*", "$", ",", "\u2003"]


@given(st.lists(st.sampled_from(_CALLEE_PIECES), max_size=10).map("".join))
def test_a_callee_rebuilds_to_the_name_the_first_form_rebuilt(expression: str) -> None:
    assert rebuilt_name(expression) == _rebuilt_first_form(expression)


def _engine_with(pattern: str, prefilter: str) -> WAFEngine:
    rule = _parse({"id": "t-reach", "pattern": pattern, "prefilter": prefilter, "targets": ["json"]}, "t", "t.yaml")
    return WAFEngine([rule], paranoia=1)


def _inspected(text: str) -> Inspected:
    inspected = Inspected()
    inspected.add_plain(Value("body", "a", "json", text))
    return inspected


def test_the_confirmation_stops_short_of_the_end_only_where_no_match_can_start() -> None:
    """A match holds a scan hit, so the confirmation reads up to a reach past the last hit. A `$`
    met at that cut is no match: it is read again on the whole value."""
    engine = _engine_with(r"zy*$", "z")
    assert engine.inspect(_inspected("z" + "y" * 10_000 + "x")) == []  # `$` at the cut, not at the end
    assert len(engine.inspect(_inspected("z" + "y" * 10_000))) == 1
    engine = _engine_with(r"ab{2}c", "ab")
    assert len(engine.inspect(_inspected("x" * 9_000 + "ab" + "y" * 9_000 + "abbc" + "y" * 9_000))) == 1


_ATTRIBUTE_PIECES = [" ", "=", "'", '"', "onclick", "onx", "on", "xmlns", "xmlns:x", "href", "src", "to", "style"]
_ATTRIBUTE_PIECES += ["rel", "srcdoc", "behavior", "javascript:alert(1)", "expression(x)", "a", "1", "/", "{x}", "data"]


@given(
    st.lists(st.sampled_from(_ATTRIBUTE_PIECES), max_size=8).map("".join), st.sampled_from(["a", "link", "svg", "y"])
)
def test_a_tag_left_unread_has_no_attribute_with_a_verdict(attributes: str, tag: str) -> None:
    if not xss_module._may_have_a_verdict(attributes):
        for attribute in xss_module._ATTRIBUTE.finditer(attributes):
            assert not xss_module._attribute_verdict(tag, attribute.group(1), attribute.group(2) or "", False)


_MARKUP_PIECES = [*_ATTRIBUTE_PIECES, "<", ">", "</", "<a ", "<link ", "<x:link/", "<?import ", "<?xml-stylesheet "]
_MARKUP_PIECES += ["<esi:include ", "<p ", "<!-- ", "\t", "\n", "vbscript:", "JaVa", "HREF", "Style", "ONLOAD", "&#1;"]
_MARKUP_PIECES += [" href=", " src = '", " style=", ' STYLE="', " to=`", " data=", " formaction", " rel=x", " onload="]
_MARKUP_PIECES += [" style=-moz-binding:x", " style='a:expression(y)'", "javascript:alert(1)", " java\tscript:"]
_MARKUP_PIECES += ["JAVASCRIPT:", "-moz-binding:x", "https://x/"]


_TAG_OPENERS = ["<a ", "<link ", "<x:link/", "<?import ", "<?xml-stylesheet ", "<esi:include ", "<p/", "<svg "]
_TAG_OPENERS += ["text <"]
_TAGS = st.lists(
    st.tuples(st.sampled_from(_TAG_OPENERS), st.lists(st.sampled_from(_MARKUP_PIECES), max_size=6).map("".join)),
    max_size=4,
).map(lambda tags: "".join(opener + attributes for opener, attributes in tags))


@settings(max_examples=400)
@given(_TAGS, st.booleans())
@example("<a  style='a:expression(y)'", False)  # one per part of the hint, whatever the search finds
@example("<a onclick", False)
@example("<a href=javascript:x", False)
@example("<x:link/>", False)
@example("<?import x", False)
@example("<a xmlns:v=x", False)
@example("<a srcdoc", False)
def test_a_value_left_unread_has_no_tag_with_a_verdict(text: str, xml_document: bool) -> None:
    assert xss_module._tags(text, xml_document) == xss_module._read_tags(text, xml_document)


def test_the_whole_value_hint_skips_a_flood_of_harmless_tags_and_not_a_handler() -> None:
    flood = '<esi:include src="http://evil/"/ ' * 800
    assert not xss_module._may_have_a_tag_verdict(flood)
    assert xss_module._may_have_a_tag_verdict(flood + "<img src=x onerror=alert(1)>")
    assert xss_module._tags(flood + '<a href="  java\tscript:x">', False) == "script URL in href"


@given(st.text(alphabet="?*/a_!x ", max_size=16))
def test_the_view_expressions_that_open_with_a_character_replace_what_their_first_forms_did(text: str) -> None:
    wildcard_dots = re.compile(r"(?:(?<=^)|(?<=/))[?*]{2,3}(?=/)")
    split_word = re.compile(r"(?<=[a-z_])/\*(?!!)[^*]{0,64}\*/(?=[a-z_])")
    assert _WILDCARD_DOTS.sub("..", text) == wildcard_dots.sub("..", text)
    assert _SPLIT_WORD.subn("", text) == split_word.subn("", text)


_CASED_PIECES = st.sampled_from(
    [
        "%4%1",
        "%5%3",
        "%41",
        "%u0041",
        "&#x41;",
        "&#83;",
        "\\x41",
        "\\u0053",
        "+AFM-",
        "A",
        "s",
        "\u0130",
        "\u1e9e",
        "\u0131",
        "\u017f",
        "\uff33",
        "..",
        "/",
        "%2e",
        "0x2e",
        "%00",
        "/*x*/",
        "'",
        ";",
        "SeLeCt",
        "<ScRiPt>",
        "%c0%ae",
        "+",
    ]
)


@given(st.lists(_CASED_PIECES, max_size=10).map("".join), st.booleans())
def test_every_text_the_rules_read_is_lower_case(raw: str, form: bool) -> None:
    # The rules' expressions are compiled without IGNORECASE (engine.py): a view with a capital
    # letter in it would hide what they look for.
    for _, text in views(raw, form):
        assert text == text.lower(), (raw, text)


_WORDS = st.lists(st.text(alphabet="abc_.", min_size=1, max_size=4), min_size=1, max_size=8, unique=True)


@settings(max_examples=60, deadline=None)  # three expressions compiled per example
@given(_WORDS, st.lists(st.sampled_from(["a", "b", "c", "_", ".", "ab", "(", " ", "x"]), max_size=12).map("".join))
def test_a_word_list_written_as_a_trie_matches_what_the_flat_list_matched(words: list[str], text: str) -> None:
    flat = "(?:" + "|".join(re.escape(word) for word in sorted(words, key=lambda w: (-len(w), w))) + ")"
    for tail in ("", r"\s*\(", r"(?:\s|$)"):
        trie, first = re.compile(_alternation(tuple(words)) + tail), re.compile(flat + tail)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in first.finditer(text)]


_URL_PIECES = ["a", "z", "1", ":", "/", "//", "[", ".", "+", "-", "@", " ", "http", "https://", "x:", "\\", "\n"]
_URL_PIECES += ["'", "::1", "abcdefghijklmnop"]


@given(st.lists(st.sampled_from(_URL_PIECES), max_size=200).map("".join))
def test_urls_are_found_as_the_one_expression_found_them(text: str) -> None:
    # up to 200 pieces: past 32 places a URL can be, dense ones hand over to the expression itself
    assert [(m.span(), m.groups()) for m in urls(text)] == [(m.span(), m.groups()) for m in _URL.finditer(text)]


# The single expression the glance searched for base64 runs with before, kept as the reference.
_BASE64_RUN = re.compile(r"[\x00\"/]\s*([A-Za-z0-9+_-][A-Za-z0-9+/_-]{7,}={0,2})\s*(?=[\x00\"/])")
_BASE64_PIECES = st.sampled_from(
    [
        "\x00",
        '"',
        "/",
        " ",
        "\t",
        "\x1c",
        "\x85",
        "\u2028",
        "=",
        "==",
        "+",
        "-",
        "_",
        ":",
        "é",
        "٣",
        "a",
        "Z",
        "9",
        "aGVsbG8",
        "d29ybGQ",
        "QUJDREVGR0g",
        "customer",
        "SKU-00012",
        "x" * 12,
    ]
)


@given(st.lists(_BASE64_PIECES, max_size=24).map("".join))
@settings(max_examples=3000)
def test_base64_runs_hold_every_run_of_the_first_expression(buffer: str) -> None:
    """Exactly its runs without a slash; with one, more (the glance then only declines more often)."""
    first = set(_BASE64_RUN.findall(f"\x00{buffer}\x00"))
    assert base64_runs(buffer) >= first
    if "/" not in buffer:
        assert base64_runs(buffer) == first


def test_base64_runs_reads_the_shapes_a_body_holds() -> None:
    buffer = '{"token":" aGVsbG8gd29ybGQ= ","url":"http://x/aGVsbG8gd29ybGQ/y","n":"٣٣٣٣٣٣٣٣٣","p":"aGVsbG8g==="}'
    assert base64_runs(buffer) >= set(_BASE64_RUN.findall(f"\x00{buffer}\x00"))
    assert base64_runs(buffer) == {"aGVsbG8gd29ybGQ=", "x/aGVsbG8gd29ybGQ/y"}


_SQL_PIECES = ["1", "'", '"', " or ", " union ", "select", " from t", "(", ")", "/**/", "/*!5", "*/", "+", "1.e("]
_SQL_PIECES += [";", "--", " drop table x", "=", "a", "  ", "\t", "sleep(5)", "x'/*"]


def _cold_sqli_score(raw: str) -> tuple[int, str]:
    sqli_module._RECENT[0] = ()
    views_module._LAST_SQL_VIEW[0] = ("", "")
    return sqli_module.sqli_score(raw)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_SQL_PIECES), max_size=12).map("".join), min_size=1, max_size=6))
def test_a_kept_sql_reading_is_the_reading_of_its_text(texts: list[str]) -> None:
    """sqli_score keeps its last readings by view text and sql_view its last view by identity:
    whatever order values and their views are read in, each answer is the one read afresh."""
    expected = {text: _cold_sqli_score(text) for text in texts}
    expected.update({sql_view(text): _cold_sqli_score(sql_view(text)) for text in texts})
    for text in [*texts, *reversed(texts), *texts]:
        view = sql_view(text)
        assert sqli_module.sqli_score(text) == expected[text]
        assert sqli_module.sqli_score(view) == expected[view]
        assert sqli_module.sqli_score(text + " ") == _cold_sqli_score(text + " ")  # equal length, other text


@needs_plain_sqli
def test_the_sql_rule_reads_a_value_and_its_view_once() -> None:
    value = "1.e(ascii 1.e(substring(1.e(select password from users limit 1 1.e,1 1.e,1 1.e)1.e)1.e)=70 " * 40
    calls = []
    original = sqli_module._view_score

    def counted(text: str) -> tuple[int, str]:
        calls.append(len(text))
        return original(text)

    sqli_module._view_score = counted
    try:
        view = sql_view(value)
        assert view != value
        first = sqli_module.sqli_score(value)
        assert sqli_module.sqli_score(view) == first
    finally:
        sqli_module._view_score = original
    assert calls == [len(view)]


_ESCAPE_PIECES = ["\\x41", "\\X41", "\\x6a", "\\u0041", "\\u{0041}", "\\101", "\\n", "\\0", "\\\\", "\\", "a", "x41"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_ESCAPE_PIECES), max_size=10).map("".join), min_size=1, max_size=5))
def test_a_kept_escape_decodes_as_it_is_written(texts: list[str]) -> None:
    """Escapes are kept by how they are written (pairs of backslashes before them included), and
    the text is split at them rather than substituted: every value decodes as if each escape were
    parsed afresh by `re.sub`, whatever was decoded before it."""
    for text in [*texts, *reversed(texts)]:
        assert decode_module._decode_backslashes(text) == _BACKSLASH_ESCAPE.sub(decode_module._decoded_escape, text)


@given(
    st.lists(st.sampled_from([*sorted(DANGEROUS), "sys", "tem", "x", "(", "'", ".", " ", "é"]), max_size=8).map("".join)
)
def test_the_php_name_scan_finds_what_a_substring_search_finds(text: str) -> None:
    assert bool(_names().scan(text.encode("utf-8", "surrogatepass"))) == any(name in text for name in DANGEROUS)


def test_a_markdown_lead_leaves_no_chain_to_read_after_the_first_ones() -> None:
    """A value that opens with Markdown code scores no chain by its lead, so reconnaissance commands
    further on do not keep every chain of 30 KB of `uname -a` spans read one by one."""
    text = "`uname -a` " * 2800
    lead = re.match(r"`", text)
    assert lead is not None
    leads = {lead.end(): _Lead(text, lead.end())}
    assert leads[lead.end()].markdown
    assert _nothing_can_follow(text, 700, lead, leads)
    assert CHECKS["cmdi"](text, object(), re.compile(r"`\s*uname"))[0] < 5
    prose = "salt; pepper; and then; whoami"
    prose_lead = re.match(r"salt;", prose)
    assert prose_lead is not None
    assert not _nothing_can_follow(prose, 6, prose_lead, {prose_lead.end(): _Lead(prose, prose_lead.end())})


_BYTE_PIECES = [
    b"a",
    b"%",
    b"%2e",
    b"%c0",
    b"%C0%AE",
    b"\\",
    b"\\x41",
    b"\xc0",
    b"\xe9",
    b"\xc3\xa9",
    b"\xff",
    b"\x80",
    b"/",
]


@given(st.lists(st.sampled_from(_BYTE_PIECES), max_size=12).map(b"".join))
def test_stray_bytes_read_in_c_as_the_table_reads_them(raw: bytes) -> None:
    expected = raw.decode("utf-8", "surrogateescape").translate(decode_module._STRAY_BYTES)
    try:
        expected = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    assert decode_module._bytes_to_text(raw) == expected


@given(
    st.lists(
        st.sampled_from(["a", "%", "%2e", "%c0", "%2", "\\", "\\x41", "é", "\udcc0", "\ufffd", "%25", "+"]), max_size=12
    ).map("".join)
)
def test_percent_escapes_decode_in_c_as_urllib_decodes_them(text: str) -> None:
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    assert decode_module._unquote_to_bytes(text) == unquote_to_bytes(raw)


def test_the_best_fit_search_names_every_character_the_table_maps() -> None:
    table = decode_module._BEST_FIT
    assert all(decode_module._BEST_FIT_CHARACTER.fullmatch(chr(code)) for code in table)
    assert decode_module._BEST_FIT_CHARACTER.search("ordinary é text \u017f") is None
