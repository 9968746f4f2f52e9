"""One piece of a response as it may leave: a whole body, an NDJSON line or an SSE field.

Checklist item: "no oversharing". The same steps for every piece, whatever carries it:
1. debug output (a stack trace, a framework's debug page, a database error) withholds the piece;
2. a piece that parses as JSON has its sensitive properties and values masked, or is withheld when
   a detector is set to block (even in a property about to be dropped), and then keeps only what
   its shape declares (filter mode);
3. any other piece is text: sensitive values, and `name: value` pairs with sensitive names, are
   masked; bytes that are not UTF-8 are kept as they are (only what is masked changes).
Withholding is decided by the caller: a buffered body becomes a problem+json, a piece of a stream
is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from bastion.egress.debug_pages import PATTERNS, first_signature
from bastion.egress.sensitive import Detection, SensitiveData
from bastion.egress.sniff import starts_like_json
from bastion.openapi.spec import Shape
from bastion.patterns import PatternSet

_MAX_REPORTED = 10
_NOT_JSON = object()


@dataclass(slots=True)
class Report:
    """What cleaning found in a response (over all of its pieces), for the audit trail."""

    dropped: list[str] = field(default_factory=list)  # undeclared properties removed (first ten)
    masked: list[Detection] = field(default_factory=list)
    withheld_rule: str | None = None  # responses.debug_output.<framework> or responses.sensitive.blocked
    withheld_reason: str = ""
    not_json: bool = False  # a piece expected to be JSON was not
    dropped_pieces: int = 0  # lines or events of a stream withheld

    def withhold(self, rule: str, reason: str) -> None:
        self.withheld_rule, self.withheld_reason = rule, reason


class BodyCleaner:
    def __init__(self, sensitive: SensitiveData | None, debug: bool) -> None:
        self.sensitive = sensitive
        self.debug = debug
        # One Hyperscan pass answers both first questions of every response (debug output? which
        # sensitive-data detectors may apply?): in the request path each scan has a fixed cost of
        # several microseconds, and lets the GIL go (docs/performance.md).
        patterns = [*(PATTERNS if debug else ()), *(sensitive.prefilters if sensitive is not None else ())]
        self._scanner = PatternSet(patterns) if patterns else None

    def first_look(self, data: bytes) -> tuple[str | None, frozenset[str]]:
        """The framework whose debug output the body carries (if looked for), and the sensitive-data
        detectors that may apply to it ("field" for sensitive names); both empty: nothing to do."""
        if self._scanner is None:
            return None, frozenset()
        hits = self._scanner.scan(data)
        if not hits:
            return None, frozenset()
        framework = first_signature(hits) if self.debug else None
        return framework, frozenset(hit.id for hit in hits if not hit.id.startswith("debug:"))

    def clean(self, data: bytes, shape: Shape | None, report: Report, *, json_expected: bool = False) -> bytes | None:  # noqa: PLR0911, PLR0912  hot path: debug/prefilter/non-JSON/mask/shape exits in one frame, no extra calls
        """The piece as it may leave (the same object when nothing changed), or None: withheld."""
        framework, kinds = self.first_look(data)
        if framework is not None:
            report.withhold(f"responses.debug_output.{framework}", f"{framework} debug output in the response")
            return None
        sensitive = self.sensitive
        if not kinds and (shape is None or shape.keep) and not json_expected:
            return data  # nothing to mask (the prefilter saw no candidate) and no shape to apply
        value: Any = _NOT_JSON
        if starts_like_json(data):
            try:
                value = orjson.loads(data)
            except orjson.JSONDecodeError:
                value = _NOT_JSON
        if value is _NOT_JSON:
            if json_expected and data.strip():
                report.not_json = True
            if not kinds or sensitive is None:
                return data
            found: list[Detection] = []
            text = sensitive.clean_text(data.decode("utf-8", "surrogateescape"), kinds, found)
            if not found:
                return data
            return self._after_masking(found, report, text.encode("utf-8", "surrogateescape"))
        changed = False
        if kinds and sensitive is not None:
            # before the shape: a credential in an undeclared property still withholds the response
            found = []
            value = sensitive.clean_json(value, kinds, found)
            if found:
                if self._after_masking(found, report, b"") is None:
                    return None
                changed = True
        if shape is not None and not shape.keep:
            dropped: list[str] = []
            value = filter_by_shape(value, shape, dropped)
            if dropped:
                changed = True
                room = _MAX_REPORTED - len(report.dropped)
                if room > 0:
                    report.dropped.extend(dropped[:room])
        return orjson.dumps(value) if changed else data

    @staticmethod
    def _after_masking(found: list[Detection], report: Report, cleaned: bytes) -> bytes | None:
        blocked = sorted({d.kind for d in found if d.action == "block"})
        if blocked:
            report.withhold("responses.sensitive.blocked", f"withheld a response carrying {', '.join(blocked)}")
            return None
        room = _MAX_REPORTED - len(report.masked)
        if room > 0:
            report.masked.extend(found[:room])
        return cleaned


def filter_by_shape(value: Any, shape: Shape, dropped: list[str], path: str = "") -> Any:  # noqa: PLR0911, PLR0912  one branch per JSON kind x shape rule; recursive, per response value
    """Keep only what the shape declares; record (up to ten of) the paths of what was dropped.

    The value is the response's own freshly parsed JSON, so objects are pruned in place.
    """
    if shape.keep:
        return value
    if isinstance(value, dict):
        names = shape.flat_names
        if names is not None:
            _prune(value, names, dropped, path)
            return value
        properties = shape.properties
        if properties is None:
            return value  # the schema describes no object here: nothing to compare against
        out = {}
        for key, item in value.items():
            sub = properties.get(key) or shape.extra
            if sub is None:
                if len(dropped) < _MAX_REPORTED:
                    dropped.append(f"{path}/{key}")
                continue
            out[key] = item if sub.keep else filter_by_shape(item, sub, dropped, f"{path}/{key}")
        return out
    if isinstance(value, list) and shape.items is not None:
        items = shape.items
        if items.keep:
            return value
        names = items.flat_names
        if names is not None:
            # the hot case (a list of flat records): pruned inline, paths built only for the report
            for index, item in enumerate(value):
                if type(item) is dict:
                    extra = item.keys() - names
                    if extra:
                        for key in extra:
                            del item[key]
                        if len(dropped) < _MAX_REPORTED:
                            dropped.extend(f"{path}/{index}/{key}" for key in sorted(extra))
                elif type(item) is list:
                    value[index] = filter_by_shape(item, items, dropped, f"{path}/{index}")
            return value

        return [filter_by_shape(item, items, dropped, f"{path}/{index}") for index, item in enumerate(value)]
    return value


def _prune(item: dict[str, Any], names: frozenset[str], dropped: list[str], path: str) -> None:
    extra = item.keys() - names
    if extra:
        for key in extra:
            del item[key]
        if len(dropped) < _MAX_REPORTED:
            dropped.extend(f"{path}/{key}" for key in sorted(extra))
