"""The waf guard: injection and attack payloads, found by technique, in anything a client controls.

Every value is decoded and normalised (decode.py), scanned once with every rule (engine.py), and
confirmed by technique checks (checks/). Matches add anomaly points per category; a category that
reaches its threshold blocks the request (403 in enforce mode, a recorded finding in monitor mode).
The client only sees a generic 403 with the request id; the audit trail gets the rule ids, the
category and the location.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import defaultdict
from fnmatch import fnmatchcase

from bastion.config.waf import WAFConfig, WAFExclusion
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.guards.waf.decode import normalize
from bastion.guards.waf.engine import Match, WAFEngine
from bastion.guards.waf.rules import load_rules
from bastion.guards.waf.targets import Limits, Target, collect

_BASE64_KINDS = frozenset({"query", "cookie", "header", "json", "form", "multipart", "xml_text"})
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]{16,}={0,2}$")


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

    def inspect(self, request: Request) -> list[Match]:
        targets = collect(request, self._limits)
        if self._base64:
            targets += _base64_targets(targets)
        return self.engine.inspect(targets)

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        matches = self.inspect(request)
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
            if matches:
                ctx.extras["waf_hits"] = [f"{m.rule.id}@{m.target.location}" for m in matches]
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


def _base64_targets(targets: list[Target]) -> list[Target]:
    """Values that are base64 of readable text, decoded (case matters in base64: decode unfolded)."""
    extra = []
    for target in targets:
        if target.variant != "text" or target.kind not in _BASE64_KINDS or len(target.raw) < 16:
            continue
        raw = normalize(target.raw, form=target.form, fold=False).strip()
        if raw[:5].lower() == "data:" and ";base64," in raw[:100]:
            raw = raw.split(";base64,", 1)[1]  # a data: URI's payload is what an include would run
        if not _BASE64.match(raw):
            continue

        try:
            decoded = base64.b64decode(
                raw + "=" * (-len(raw) % 4), altchars=b"-_" if "-" in raw or "_" in raw else None
            )
        except (binascii.Error, ValueError):
            continue
        text = decoded.decode("utf-8", "replace")
        printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
        if text and printable / len(text) > 0.97 and sum(c.isalpha() for c in text) >= len(text) // 3:
            extra.append(Target(target.location + "(base64)", target.kind, text, normalize(text)))
    return extra
