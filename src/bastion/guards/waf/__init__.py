"""The waf guard: injection and attack payloads, found by technique, in anything a client controls.

Every value is decoded and normalised (decode.py), scanned once with every rule (engine.py), and
confirmed by technique checks (checks/). Matches add anomaly points per category; a category that
reaches its threshold blocks the request (403 in enforce mode, a recorded finding in monitor mode).
The client only sees a generic 403 with the request id; the audit trail gets the rule ids, the
category and the location.
"""

from __future__ import annotations

import re
from collections import defaultdict
from fnmatch import fnmatchcase

from bastion.config.waf import WAFConfig, WAFExclusion
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.guards.waf.decode import base64_text, normalize
from bastion.guards.waf.engine import Match, WAFEngine
from bastion.guards.waf.glance import clean_at_a_glance
from bastion.guards.waf.rules import load_rules
from bastion.guards.waf.targets import Inspected, Limits, collect, location

# Cheap pre-test on the raw value: base64 characters, possibly percent-encoded or escaped.
_BASE64_CANDIDATE = re.compile(r"\s*[A-Za-z0-9+/_%\\-]{16,}(?:=|%3[dD]){0,2}\s*").fullmatch
_BASE64_KINDS = frozenset({"query", "cookie", "header", "json", "form", "multipart", "xml_text"})


class WAFGuard:
    needs_body = True

    def __init__(self, config: WAFConfig) -> None:
        self.engine = WAFEngine(load_rules(), config.paranoia)
        self._limits = Limits(max_value=config.max_value, max_total=config.max_inspected)
        self._threshold = config.threshold
        self._thresholds = dict(config.thresholds)
        self._combined = config.combined_threshold

        self._exclusions = list(config.exclusions)
        self._base64 = config.base64
        self._oversize = config.oversize

    def inspect(self, request: Request, ctx: Context | None = None) -> tuple[list[Match], bool]:
        """The rule matches, and whether some content was beyond the inspection limits."""
        graphql = ctx.graphql if ctx is not None else None
        inspected = collect(request, self._limits, refuse_oversized=self._oversize == "block", graphql=graphql)
        if inspected.oversized and self._oversize == "block":
            return [], True
        if self._base64:
            _add_base64(inspected)
        return self.engine.inspect(inspected), inspected.oversized

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        if clean_at_a_glance(request, self.engine, self._limits, self._base64):
            return None
        matches, oversized = self.inspect(request, ctx)
        if oversized and self._oversize == "block":
            return Verdict.refuse(
                403,
                "waf.inspection-limit",
                f"more client content than the WAF inspects (waf.max_inspected {self._limits.max_total} "
                f"characters, waf.max_value {self._limits.max_value})",
                category="limits",
                location="request",
            )
        if not matches:
            return None
        if self._exclusions:
            matches = [m for m in matches if not self._excluded(m, request, ctx)]
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
            # Strong signals in different categories add up (a shell reading /etc/passwd is both).
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


def _exclusion_applies(exclusion: WAFExclusion, match: Match, request: Request, ctx: Context) -> bool:
    if exclusion.operation is not None and exclusion.operation != ctx.operation:
        return False
    if exclusion.path is not None and not fnmatchcase(request.path, exclusion.path.replace("**", "*")):
        return False
    if exclusion.field is not None and not fnmatchcase(match.target.location, exclusion.field):
        return False
    return match.rule.category in exclusion.categories or match.rule.id in exclusion.rules


def _add_base64(inspected: Inspected) -> None:
    """Values that are base64 of readable text, decoded (case matters in base64: decode unfolded)."""
    for parent, leaf, kind, raw, form in list(inspected.items):
        if kind not in _BASE64_KINDS or len(raw) < 16 or not _BASE64_CANDIDATE(raw):
            continue
        value = normalize(raw, form=form, fold=False).strip()
        if value[:5].lower() == "data:" and ";base64," in value[:100]:
            value = value.split(";base64,", 1)[1]  # a data: URI's payload is what an include would run
        text = base64_text(value)
        if text is not None:
            inspected.add_decoded((location(parent, leaf) + "(base64)", None, kind, text, False))
