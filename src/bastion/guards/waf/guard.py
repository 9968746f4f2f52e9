"""The waf guard: attack payloads in anything a client controls, found by technique, scored per category.

Every value is collected (collect.py, bodies.py), decoded (decode.py) into its views (views.py), scanned once
with every rule (engine.py) and confirmed by technique checks (checks/). Matches add anomaly points
per category; a category that reaches its threshold blocks the request (403 in enforce mode, a
recorded finding in monitor mode). The client only sees a generic 403 with the request id; the audit
trail gets the rule ids, the category and the location.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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
from bastion.guards.waf.engine import MOST_POINTS, Match, WAFEngine
from bastion.guards.waf.glance import clean_at_a_glance
from bastion.guards.waf.inspected import Collector, Inspected, Kind, Limits, Value
from bastion.guards.waf.rules import Rule, load_rules

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
        self, request: Request, ctx: Context | None = None, settled: _Tally | None = None
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
        return self.engine.inspect(inspected, settled), inspected.oversized

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        if clean_at_a_glance(request, self.engine, self._limits, self._base64):
            return None
        matches, oversized = self.inspect(request, ctx, _Tally(self, request, ctx))
        if oversized and self._oversize == "block":
            return self._beyond_limits("request")
        if matches and self._exclusions:
            matches = [m for m in matches if not self._excluded(m, request, ctx)]
        return self.verdict(matches)

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
        matches = self.engine.inspect(inspected, _Tally(self, request, ctx))
        if matches and self._exclusions:
            matches = [m for m in matches if not self._excluded(m, request, ctx)]
        return self.verdict(matches)

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
        """The refusal the matches add up to: a category at its threshold, or strong signals in
        several categories past the combined threshold (a shell reading /etc/passwd is both)."""
        if not matches:
            return None
        scores: dict[str, dict[str, Match]] = defaultdict(dict)
        for match in matches:
            best = scores[match.rule.category].get(match.rule.id)
            if best is None or match.score > best.score:
                scores[match.rule.category][match.rule.id] = match
        blocking: list[tuple[int, str, list[Match]]] = []
        overall = 0
        for category, by_rule in scores.items():
            total = sum(m.score for m in by_rule.values())
            overall += total
            if total >= self._thresholds.get(category, self._threshold):
                blocking.append((total, category, sorted(by_rule.values(), key=lambda m: -m.score)))
        if not blocking and overall >= self._combined:
            every = sorted((m for by_rule in scores.values() for m in by_rule.values()), key=lambda m: -m.score)
            blocking.append((overall, every[0].rule.category, every))
        if not blocking:
            return None
        blocking.sort(key=lambda item: -item[0])
        total, category, top = blocking[0]
        lead = top[0]
        reasons = "; ".join(f"{m.rule.id} at {m.target.location}: {m.detail[:80]}" for m in top[:5])
        related = tuple(sorted({m.rule.id for _, _, ms in blocking for m in ms} - {lead.rule.id}))
        return Verdict.refuse(
            403,
            f"waf.{lead.rule.id}",
            f"{category} score {total}: {reasons}",
            category=category,
            location=lead.target.location,
            related=related,
        )

    def _excluded(self, match: Match, request: Request, ctx: Context) -> bool:
        return any(_exclusion_applies(exclusion, match, request, ctx) for exclusion in self._exclusions)


class _Tally:
    """The verdict's arithmetic, kept as the engine finds matches (`WAFEngine.inspect`'s `settled`).

    The reading stops once a category is refused and the rules left to read could change neither
    that category nor the rule its refusal names:
    - no other category can reach as many points (or as many and an earlier place in rule order,
      which is how `verdict` settles a tie), each unread rule adding at most MOST_POINTS;
    - the leading rule has MOST_POINTS and no unread rule of its category comes before it.
    The refusal then lists the rules that reached it, not every rule a full reading would add."""

    __slots__ = ("_best", "_ctx", "_first", "_guard", "_lead", "_request", "_totals")

    def __init__(self, guard: WAFGuard, request: Request, ctx: Context) -> None:
        self._guard = guard
        self._request = request
        self._ctx = ctx
        self._best: dict[str, int] = {}  # rule id -> its best score so far, as `verdict` counts it
        self._totals: dict[str, int] = {}
        self._first: dict[str, int] = {}  # category -> the index of its first matched rule
        self._lead: dict[str, tuple[int, int]] = {}  # category -> (best score, -index) of its leading rule

    def add(self, match: Match, rule_index: int) -> bool:
        guard = self._guard
        if guard._exclusions and guard._excluded(match, self._request, self._ctx):
            return False
        rule = match.rule
        category = rule.category
        added = match.score - self._best.get(rule.id, 0)
        if added > 0:
            self._best[rule.id] = match.score
            self._totals[category] = self._totals.get(category, 0) + added
        self._first[category] = min(rule_index, self._first.get(category, rule_index))
        self._lead[category] = max((match.score, -rule_index), self._lead.get(category, (0, 0)))
        thresholds, threshold = guard._thresholds, guard._threshold
        return any(total >= thresholds.get(category, threshold) for category, total in self._totals.items())

    def reached(self, pending: Iterable[tuple[int, Rule]]) -> bool:
        guard = self._guard
        refused = [
            (total, -self._first[category], category)
            for category, total in self._totals.items()
            if total >= guard._thresholds.get(category, guard._threshold)
        ]
        if not refused:
            return False
        lead_total, lead_first, lead = max(refused)
        lead_score, lead_rule = self._lead[lead]
        reach = dict(self._totals)
        first = dict(self._first)
        for rule_index, rule in pending:
            category = rule.category
            if category == lead and (lead_score < MOST_POINTS or rule_index < -lead_rule):
                return False  # it could score more than the leading rule, or as much and come first
            reach[category] = reach.get(category, 0) + MOST_POINTS - self._best.get(rule.id, 0)
            first[category] = min(rule_index, first.get(category, rule_index))
        return all(
            total < lead_total or (total == lead_total and first[category] > -lead_first)
            for category, total in reach.items()
            if category != lead
        )


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


def _json_text(value: Value) -> str | None:
    """The value as text if it opens like a JSON document (`{`, `[`, or either percent-encoded)."""
    raw = value.raw.lstrip()
    if raw[:3].lower() in ("%7b", "%5b"):
        return unquote_plus(raw) if value.form else unquote(raw)
    if raw[:1] in ("{", "["):
        return unquote_plus(raw) if value.form else raw
    return None
