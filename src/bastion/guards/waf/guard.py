"""The waf guard: attack payloads in anything a client controls, found by technique, scored per category.

Every value is collected (collect.py, bodies.py), decoded (decode.py) into its views (views.py), scanned once
with every rule (engine.py) and confirmed by technique checks (checks/). Matches add anomaly points
per category; a category that reaches its threshold blocks the request (403 in enforce mode, a
recorded finding in monitor mode). The client only sees a generic 403 with the request id; the audit
trail gets the rule ids, the category and the location.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from urllib.parse import unquote, unquote_plus

import orjson

from bastion.config.waf import WAFConfig, WAFExclusion
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.guards.waf.bodies import json_document, json_leaves, walk_json
from bastion.guards.waf.collect import collect
from bastion.guards.waf.decode import base64_decodings
from bastion.guards.waf.engine import Match, Settled, WAFEngine
from bastion.guards.waf.glance import clean_at_a_glance
from bastion.guards.waf.graphql_strings import graphql_document, string_arguments
from bastion.guards.waf.inspected import Collector, Inspected, Kind, Limits, Value
from bastion.guards.waf.rules import Rule, load_rules
from bastion.guards.waf.scoring import Scores

# Every kind a client writes a value or a name into; not the header plumbing nor an XML document as a whole.
BASE64_KINDS: frozenset[Kind] = frozenset(
    {
        "path",
        "query",
        "query_key",
        "cookie",
        "header",
        "json",
        "json_key",
        "form",
        "form_key",
        "multipart",
        "xml_text",
        "filename",
        "raw",
    }
)


class WAFGuard:
    needs_body = True

    def __init__(self, config: WAFConfig, rules: list[Rule] | None = None) -> None:
        """`rules`: the rule set to use instead of the packaged one (evaluations leave some out)."""
        self.engine = WAFEngine(load_rules() if rules is None else rules, config.paranoia)
        self._limits = Limits(max_value=config.max_value, max_total=config.max_inspected)
        self._threshold = config.threshold
        self._thresholds = dict(config.thresholds)
        self._combined = config.combined_threshold
        self._exclusions = list(config.exclusions)
        self._base64 = config.base64
        self._oversize = config.oversize

    @property
    def limits(self) -> Limits:
        return self._limits

    def inspect(
        self, request: Request, ctx: Context | None = None, settled: Settled | None = None
    ) -> tuple[list[Match], bool]:
        """The rule matches (every one, or with `settled` those read until the verdict is
        reached), and whether some content was beyond the inspection limits."""
        graphql = ctx.graphql if ctx is not None else None
        inspected = collect(request, self._limits, refuse_oversized=self._oversize == "block", graphql=graphql)
        if inspected.oversized and self._oversize == "block":
            return [], True
        if self._base64:
            add_base64_views(inspected)
        add_json_views(inspected)
        add_graphql_views(inspected)
        return self.engine.inspect(inspected, settled), inspected.oversized

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        if clean_at_a_glance(request, self.engine, self._limits, self._base64):
            return None
        scores = self._scores(request, ctx)
        _, oversized = self.inspect(request, ctx, scores)
        if oversized and self._oversize == "block":
            return self._beyond_limits("request")
        return scores.verdict()

    def check_message(self, text: str, request: Request, ctx: Context) -> Verdict | None:
        """A WebSocket text message (`request` is its handshake): read as a body would be, JSON key
        by key and anything else whole, or, for a GraphQL operation, the argument values the graphql
        guard left in `ctx.graphql`. Same rules, thresholds, exclusions and oversize policy."""
        collector = Collector(self._limits)
        add = collector.pending.append
        if ctx.graphql is not None:
            for where, value in ctx.graphql.values:
                add(Value("message", where, "json", value))
        else:
            try:
                document = orjson.loads(text) if text.lstrip()[:1] in ("{", "[") else None
            except orjson.JSONDecodeError:
                document = None
            if document is None:
                collector.add("message", None, "raw", text)
            else:
                walk_json(document, lambda value: add(value._replace(parent="message" + value.parent[4:])))
        if self._oversize == "block" and collector.exceeds_limits():
            return self._beyond_limits("message")
        inspected = collector.finish()
        if self._base64:
            add_base64_views(inspected)
        add_json_views(inspected)
        add_graphql_views(inspected)
        scores = self._scores(request, ctx)
        self.engine.inspect(inspected, scores)
        return scores.verdict()

    def _beyond_limits(self, location: str) -> Verdict:
        return Verdict.refuse(
            403,
            "waf.inspection-limit",
            f"more client content than the WAF inspects (waf.max_inspected {self._limits.max_total} "
            f"characters, waf.max_value {self._limits.max_value})",
            category="limits",
            location=location,
        )

    def verdict(self, matches: list[Match]) -> Verdict | None:
        """The refusal matches in rule order add up to (scoring.Scores), exclusions already applied."""
        scores = Scores(self._thresholds, self._threshold, self._combined)
        for place, match in enumerate(matches):
            scores.add(match, place)
        return scores.verdict()

    def _scores(self, request: Request, ctx: Context) -> Scores:
        """Scores that count what the engine finds, less what the exclusions take out."""
        excluded = (lambda match: self._excluded(match, request, ctx)) if self._exclusions else None
        return Scores(self._thresholds, self._threshold, self._combined, excluded)

    def _excluded(self, match: Match, request: Request, ctx: Context) -> bool:
        return any(_exclusion_applies(exclusion, match, request, ctx) for exclusion in self._exclusions)


def _exclusion_applies(exclusion: WAFExclusion, match: Match, request: Request, ctx: Context) -> bool:
    if exclusion.operation is not None and exclusion.operation != ctx.operation:
        return False
    if exclusion.path is not None and not fnmatchcase(request.path, exclusion.path.replace("**", "*")):
        return False
    if exclusion.field is not None and not fnmatchcase(match.target.location, exclusion.field):
        return False
    return match.rule.category in exclusion.categories or match.rule.id in exclusion.rules


def add_base64_views(inspected: Inspected) -> None:
    """Values (path segments, data: URIs) that are base64 of readable text, added decoded. A value
    written the same as an earlier one is decoded once (a body can repeat one token many times)."""
    decoded: dict[tuple[str, str, bool], list[str]] = {}
    for value in list(inspected.values):
        if value.kind not in BASE64_KINDS or len(value.raw) < 8:
            continue
        key = (value.raw, value.kind, value.form)
        texts = decoded.get(key)
        if texts is None:
            texts = decoded[key] = base64_decodings(value.raw, value.kind, value.form)
        for text in texts:
            inspected.add_decoded(Value(value.location + "(base64)", None, value.kind, text))


# Where a client writes a JSON document as one string: a query or form value, a cookie, a header, a
# JSON string holding more JSON.
JSON_IN_VALUE_KINDS: frozenset[Kind] = frozenset({"query", "form", "cookie", "header", "json", "multipart"})


def add_json_views(inspected: Inspected) -> None:
    """Values that are JSON documents, added key by key and value by value (each with every
    reading a JSON body gets); the SQL reading of the document as one string is left out, since
    its quotes are JSON's (checks.sqli)."""
    for value in list(inspected.values):
        text = _json_text(value) if value.kind in JSON_IN_VALUE_KINDS else None
        document = json_document(text) if text is not None else None
        if document is None:
            continue
        for leaf in json_leaves(document, value.location + "(json)") or ():
            inspected.add_decoded(leaf)


def add_graphql_views(inspected: Inspected) -> None:
    """Values that are GraphQL documents (a route not configured as GraphQL), each string argument
    added as a value of its own, decoded as the server decodes it (graphql_strings.py)."""
    for value in list(inspected.values):
        if value.kind in JSON_IN_VALUE_KINDS and graphql_document(value.raw):
            for index, argument in enumerate(string_arguments(value.raw)):
                inspected.add_decoded(Value(value.location + "(graphql)", index, value.kind, argument))


def _json_text(value: Value) -> str | None:
    """The value as text if it opens like a JSON document (`{`, `[`, or either percent-encoded)."""
    raw = value.raw.lstrip()
    if raw[:3].lower() in ("%7b", "%5b"):
        return unquote_plus(raw) if value.form else unquote(raw)
    if raw[:1] in ("{", "["):
        return unquote_plus(raw) if value.form else raw
    return None
