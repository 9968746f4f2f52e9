"""Responses that do not overshare: only declared fields, no secrets, no debug output, whatever the label.

Checklist item: "no oversharing". Filtering is keyed on what a body *is*, not on the Content-Type
it claims (see egress/sniff.py), and on what the spec declares for the operation and status:

1. What is declared (egress/declared.py). A status the operation does not declare falls back to
   its range (2XX) and to `default`; with none of them, or a status declared without `content`,
   nothing is declared, and in filter mode a JSON body keeps no property at all. A body whose
   Content-Type the spec does not declare for that operation and status is refused (502) in
   filter mode, recorded in validate mode.
2. How the body is read. Bodies of a known length up to `max_inspected` are held and cleaned whole
   (the common case: a declared JSON response). NDJSON and server-sent events are cleaned line by
   line and event by event as they stream. Other bodies are held up to `max_inspected` and, past
   it, cleaned line by line as they stream (binary files are scanned for credentials instead);
   a body its schema must filter cannot be streamed, and a larger one is refused (502).
3. What is done with it (egress/cleaner.py): debug output replaces the whole response with a
   generic problem+json; undeclared properties are dropped (filter mode) or reported (validate
   mode); sensitive values are masked, or the response is withheld (502) for a detector set to
   block. In a stream, a line or event with debug output or a blocking credential is dropped.

The log keeps, for the developers, a bounded excerpt of a hidden body, masked by the same masker.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson

from bastion.config.responses import ResponsesConfig
from bastion.core.context import Context
from bastion.core.pipeline import BodyStream, ResponseHead
from bastion.core.problem import CONTENT_TYPE, problem_body
from bastion.core.request import Request
from bastion.core.verdict import Finding, Verdict
from bastion.egress.cleaner import BodyCleaner, Report
from bastion.egress.debug_pages import debug_signature
from bastion.egress.declared import Declaration, Declarations
from bastion.egress.sensitive import SensitiveData, log_masker
from bastion.egress.sniff import (
    UTF8,
    Undecodable,
    as_utf8,
    decode_content,
    is_binary,
    known_charset,
    media_and_charset,
    set_charset_utf8,
)
from bastion.egress.streams import BinaryScan, EventStream, HeldBody, LineStream, Transcoded
from bastion.openapi.spec import CompiledSpec

log = logging.getLogger("bastion.responses")

EVENT_STREAM = "text/event-stream"
LINE_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "application/jsonlines",
        "application/json-seq",
        "application/stream+json",
    }
)
_IDENTITY = ("identity", "")


class ResponseInspection:
    def __init__(self, config: ResponsesConfig, spec: CompiledSpec | None) -> None:
        self._mode = config.mode if spec is not None else "off"
        self._debug = config.debug_pages
        self._limit = config.max_inspected
        self._max_part = config.max_stream_part
        sensitive = SensitiveData(config.sensitive) if config.sensitive is not None else None
        self._sensitive = sensitive if sensitive is not None and sensitive.enabled else None
        self._cleaner = BodyCleaner(self._sensitive, self._debug)
        self._log = log_masker(config.sensitive)
        self._log_limit = config.max_logged_error
        self._declarations = Declarations(spec, self._mode)
        self._errors_hidden = config.hide_errors  # a 5xx body is replaced whole (egress/errors.py)
        self._content_types: dict[str | None, tuple[str, str | None]] = {}

    @property
    def active(self) -> bool:
        return self._mode != "off" or self._debug or self._sensitive is not None

    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None:  # noqa: PLR0911  hot path: one early exit per response head that needs no body inspection
        status = head.status
        if head.local or head.replace_body is not None or status < 200 or status in (204, 304):
            return
        if status >= 500 and self._errors_hidden:
            return
        content_type = head.get("content-type")
        parsed = self._content_types.get(content_type)
        if parsed is None:
            parsed = media_and_charset(content_type)
            if len(self._content_types) >= 1024:
                self._content_types.clear()  # values come from the upstream: keep the table bounded
            self._content_types[content_type] = parsed
        media, charset = parsed
        plan = self._declarations.plan(ctx, status, media)
        if plan.refusal is not None and media:
            _refuse_head(head, ctx, "responses.undeclared_content_type", plan.refusal)
            return
        if charset is not None and charset not in UTF8 and not known_charset(charset):
            _refuse_head(head, ctx, "responses.charset", f"undecodable charset {charset[:32]!r}")
            return
        coding = (head.get("content-encoding") or "identity").strip().lower()
        if media == EVENT_STREAM or media in LINE_TYPES:
            if coding not in _IDENTITY:
                _refuse_head(head, ctx, "responses.content_encoding", f"a {coding[:32]} stream cannot be inspected")
                return
            head.stream = self._stream_of_pieces(ctx, head, media, charset, plan)
            head.remove("content-length")
            return
        length = head.length
        if length is not None and length <= self._limit:
            head.transform_limit = self._limit
            head.transforms.append(lambda h, body: self._whole(ctx, h, body, plan, charset, coding))
            return
        if length is not None and (plan.must_filter or coding not in _IDENTITY):
            _refuse_head(head, ctx, "responses.too_large", "response larger than max_inspected cannot be filtered")
            return
        head.stream = HeldBody(
            lambda body: self._whole(ctx, head, body, plan, charset, coding),
            self._limit,
            lambda held: self._overflow(ctx, head, held, plan, charset, coding),
        )
        head.remove("content-length")

    # -- whole bodies ------------------------------------------------------------------------------
    def _whole(  # noqa: PLR0911, PLR0913  per response: the head's facts passed, not re-read; one exit per verdict
        self, ctx: Context, head: ResponseHead, body: bytes, plan: Declaration, charset: str | None, coding: str
    ) -> bytes:
        try:
            if coding not in _IDENTITY:
                body = decode_content(body, coding, self._limit)
                head.remove("content-encoding")
            if not body:
                return body
            if plan.refusal is not None:  # no Content-Type at all, where the spec declares one
                return self._refuse(head, ctx, "responses.undeclared_content_type", plan.refusal, body)
            # The common case, UTF-8 JSON, starts with { or [ followed by no NUL (UTF-16 JSON does).
            if charset is not None or body[:1] not in (b"{", b"[") or body[1:2] == b"\x00":
                if is_binary(body) and not charset:
                    return self._binary(head, ctx, body)
                body, recoded = as_utf8(body, charset)
                if recoded:
                    head.set("content-type", set_charset_utf8(head.get("content-type") or "text/plain"))
        except Undecodable as problem:
            return self._refuse(head, ctx, "responses.undecodable", problem.reason)
        report = Report()
        cleaned = self._cleaner.clean(body, plan.shape, report, json_expected=plan.must_filter)
        if plan.validator is not None:
            self._validate(ctx, head.status, body, plan.validator)
        if cleaned is None:
            return self._withhold(head, ctx, report, body)
        if report.not_json:
            return self._refuse(head, ctx, "responses.not_json", "the schema's JSON response is not JSON", body)
        if report.dropped or report.masked:
            self._report(ctx, head.status, report)
        return cleaned

    def _binary(self, head: ResponseHead, ctx: Context, body: bytes) -> bytes:
        found = self._sensitive.find_in_binary(body) if self._sensitive is not None else []
        if found:
            return self._refuse(
                head, ctx, "responses.sensitive.blocked", f"withheld a binary response carrying {', '.join(found)}"
            )
        return body

    def _validate(self, ctx: Context, status: int, body: bytes, validator: Any) -> None:
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            return
        errors = list(validator.iter_errors(value))[:5]
        if errors:
            where = ", ".join("/".join(str(p) for p in e.instance_path) or "(root)" for e in errors)
            reason = f"response does not match its schema at {where}"
            _record(ctx, status, "responses.schema_mismatch", reason, mode="monitor")

    def _withhold(self, head: ResponseHead, ctx: Context, report: Report, body: bytes) -> bytes:
        rule = report.withheld_rule or "responses.withheld"
        if rule.startswith("responses.debug_output."):
            log.warning("request %s: response carried debug output; hidden: %s", ctx.request_id, self._excerpt(body))
            _record(ctx, 502 if head.status < 400 else head.status, rule, report.withheld_reason)
            return _replace(head, ctx, head.status if head.status >= 400 else 500)
        return self._refuse(head, ctx, rule, report.withheld_reason)

    # -- streams -----------------------------------------------------------------------------------
    def _stream_of_pieces(  # noqa: PLR0913  per response: the head's facts passed, not re-read
        self,
        ctx: Context,
        head: ResponseHead,
        media: str,
        charset: str | None,
        plan: Declaration,
        scan_long_lines: bool = False,
    ) -> BodyStream:
        report = Report()
        status = head.status
        ctx.on_finish.append(lambda: self._report(ctx, status, report, streamed=True))

        def clean(piece: bytes) -> bytes | None:
            cleaned = self._cleaner.clean(piece, plan.shape, report)
            if cleaned is None:
                report.dropped_pieces += 1
            return cleaned

        inner: BodyStream
        if media == EVENT_STREAM:
            inner = EventStream(clean, self._max_part)
        else:
            quiet = self._quiet if plan.shape is None else None
            inner = LineStream(clean, self._max_part, self._scan_raw if scan_long_lines else None, quiet)
        if charset is not None and charset not in UTF8:
            head.set("content-type", set_charset_utf8(head.get("content-type") or media))
            return Transcoded(inner, charset)
        return inner

    def _overflow(  # noqa: PLR0913  per response: the head's facts passed, not re-read
        self, ctx: Context, head: ResponseHead, held: bytes, plan: Declaration, charset: str | None, coding: str
    ) -> BodyStream | None:
        """The body outgrew max_inspected: what inspects the rest as it streams, or None (502)."""
        if plan.must_filter or plan.refusal is not None or coding not in _IDENTITY:
            _record(ctx, 502, "responses.too_large", "response larger than max_inspected cannot be filtered")
            return None
        if is_binary(held) and not charset:
            return BinaryScan(self._scan_raw)
        source = charset if charset is not None and charset not in UTF8 else None
        return self._stream_of_pieces(ctx, head, "text/plain", source, plan, scan_long_lines=True)

    def _quiet(self, lines: bytes) -> bool:
        """No sensitive value and no debug output can be in these lines (one scan for all of them)."""
        framework, kinds = self._cleaner.first_look(lines)
        return framework is None and not kinds

    def _scan_raw(self, data: bytes) -> list[str]:
        """What withholds bytes that cannot be masked in place (a binary file, an over-long line)."""
        found = self._sensitive.find_in_binary(data) if self._sensitive is not None else []
        if self._debug and (framework := debug_signature(data)) is not None:
            found.append(f"{framework} debug output")
        return found

    # -- answers and records -----------------------------------------------------------------------
    def _refuse(self, head: ResponseHead, ctx: Context, rule: str, reason: str, body: bytes = b"") -> bytes:
        """Withhold the whole response once its body was read: 502, the original (masked) in the log."""
        if body:
            log.warning("request %s: response withheld (%s); hidden: %s", ctx.request_id, reason, self._excerpt(body))
        _record(ctx, 502, rule, reason)
        return _replace(head, ctx, 502)

    def _excerpt(self, body: bytes) -> str:
        return self._log.excerpt(body, self._log_limit)

    @staticmethod
    def _report(ctx: Context, status: int, report: Report, *, streamed: bool = False) -> None:
        if report.dropped:
            reason = f"dropped undeclared field(s): {', '.join(report.dropped)}"
            _record(ctx, status, "responses.undeclared_fields", reason, mode="monitor")
        if report.masked:
            kinds = ", ".join(sorted({d.kind for d in report.masked}))
            where = ", ".join(d.where for d in report.masked)
            _record(ctx, status, "responses.sensitive.masked", f"masked {kinds} at {where}", mode="monitor")
        if streamed and report.dropped_pieces:
            reason = f"dropped {report.dropped_pieces} line(s) or event(s): {report.withheld_reason}"
            _record(ctx, status, report.withheld_rule or "responses.withheld", reason, mode="monitor")


def _refuse_head(head: ResponseHead, ctx: Context, rule: str, reason: str) -> None:
    """Withhold the whole response, decided from its head: the host sends a 502 instead of the body."""
    _record(ctx, 502, rule, reason)
    head.replace_body = _replace(head, ctx, 502)
    head.capture_original = 0
    head.transforms = []
    head.stream = None


def _replace(head: ResponseHead, ctx: Context, status: int) -> bytes:
    head.status = status
    head.headers = [
        (k, v)
        for k, v in head.headers
        if k not in ("content-type", "content-length", "etag", "content-encoding", "content-disposition")
    ]
    head.headers.append(("content-type", CONTENT_TYPE))
    return problem_body(status, ctx.request_id)


def _record(ctx: Context, status: int, rule: str, reason: str, mode: str = "enforce") -> None:
    verdict = Verdict.refuse(status, rule, reason, category="oversharing")
    ctx.findings.append(Finding("responses", mode, verdict))
