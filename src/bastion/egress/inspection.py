"""Responses that do not overshare: only declared fields, no secrets, no debug output.

For JSON and text responses the body is buffered (up to `responses.max_inspected`) and, in order:
1. a stack trace or framework debug page anywhere in it replaces the whole response with a generic
   problem+json (the original is logged under the request id);
2. in `filter` mode, JSON keeps only the properties the response schema declares for that status;
   in `validate` mode, a mismatch with the schema is recorded in the audit trail instead;
3. sensitive properties and values are masked, or the response is withheld (502) when a detector
   is set to block (a private key or cloud credential on its way out).
"""

from __future__ import annotations

import logging
from typing import Any

import orjson

from bastion.config.responses import ResponsesConfig
from bastion.core.context import Context
from bastion.core.pipeline import ResponseHead
from bastion.core.problem import CONTENT_TYPE, problem_body
from bastion.core.request import Request
from bastion.core.verdict import Finding, Verdict
from bastion.egress.debug_pages import debug_signature
from bastion.egress.sensitive import Detection, SensitiveData
from bastion.openapi.spec import CompiledSpec, OperationSpec, ResponseSpec, Shape

log = logging.getLogger("bastion.responses")


_MAX_REPORTED = 10


def filter_by_shape(value: Any, shape: Shape, dropped: list[str], path: str = "") -> Any:
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


class ResponseInspection:
    def __init__(self, config: ResponsesConfig, spec: CompiledSpec | None) -> None:
        self._mode = config.mode if spec is not None else "off"
        self._debug = config.debug_pages
        self._limit = config.max_inspected
        self._sensitive = SensitiveData(config.sensitive) if config.sensitive is not None else None
        if self._sensitive is not None and not self._sensitive.enabled:
            self._sensitive = None
        self._operations: dict[str, OperationSpec] = (
            {op.id: op for op in spec.operations.values()} if spec is not None else {}
        )

    @property
    def active(self) -> bool:
        return self._mode != "off" or self._debug or self._sensitive is not None

    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None:
        if head.local or head.replace_body is not None or request.method == "HEAD" or head.status in (204, 304):
            return
        media = (head.get("content-type") or "").split(";", 1)[0].strip().lower()
        is_json = "json" in media
        if not (is_json or media.startswith("text/") or media.endswith("xml")):
            return
        if media == "text/event-stream":
            return  # a stream of events is never buffered
        response_spec = self._response_spec(ctx, head.status, media) if is_json and self._mode != "off" else None
        must_filter = self._mode == "filter" and response_spec is not None and response_spec.shape is not None
        if not must_filter and response_spec is None and not self._debug and self._sensitive is None:
            return
        encoded = (head.get("content-encoding") or "identity").lower() != "identity"
        length = head.length
        if encoded or (length is not None and length > self._limit) or (length is None and not must_filter):
            # Compressed (the proxy asks for identity, but an upstream may ignore it), too large, or
            # streamed without a length: only a response the schema must filter is held back for it.
            if must_filter:
                head.transform_limit = 0  # it cannot be filtered: the host answers 502 (fail closed)
                head.transforms.append(_unreachable)
            return
        head.transform_limit = self._limit
        head.transforms.append(lambda h, body: self._inspect(request, ctx, h, body, media, is_json, response_spec))

    def _response_spec(self, ctx: Context, status: int, media: str) -> ResponseSpec | None:
        op = self._operations.get(ctx.operation or "")
        return op.response_for(status, media) if op is not None else None

    def _inspect(
        self,
        request: Request,
        ctx: Context,
        head: ResponseHead,
        body: bytes,
        media: str,
        is_json: bool,
        response_spec: ResponseSpec | None,
    ) -> bytes:
        if self._debug and (framework := debug_signature(body)) is not None:
            log.warning(
                "request %s: upstream response carried %s debug output; hidden: %r",
                ctx.request_id,
                framework,
                body[:2048],
            )
            _record(
                ctx,
                502 if head.status < 400 else head.status,
                f"responses.debug_output.{framework}",
                f"{framework} debug output in the response",
                "oversharing",
            )
            return _replace(head, ctx, head.status if head.status >= 400 else 500)

        kinds = self._sensitive.candidates(body) if self._sensitive is not None else frozenset()
        sensitive = self._sensitive if kinds else None
        if not is_json:
            if sensitive is None:
                return body
            found: list[Detection] = []
            cleaned = sensitive.clean_text(body.decode("utf-8", "replace"), kinds, found)
            if not found:
                return body
            return self._after_masking(head, ctx, found) or cleaned.encode()
        filtering = self._mode == "filter" and response_spec is not None and response_spec.shape is not None
        validating = self._mode == "validate" and response_spec is not None and response_spec.validator is not None
        if not (filtering or validating or sensitive is not None):
            return body
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            return body  # not JSON after all: nothing to filter
        changed = False
        if filtering:
            assert response_spec is not None
            assert response_spec.shape is not None
            dropped: list[str] = []
            value = filter_by_shape(value, response_spec.shape, dropped)
            if dropped:
                changed = True
                _record(
                    ctx,
                    head.status,
                    "responses.undeclared_fields",
                    f"dropped undeclared field(s): {', '.join(dropped[:10])}",
                    "oversharing",
                    mode="monitor",
                )
        elif validating:
            assert response_spec is not None
            errors = list(response_spec.validator.iter_errors(value))[:5]
            if errors:
                where = ", ".join("/".join(str(p) for p in e.instance_path) or "(root)" for e in errors)
                _record(
                    ctx,
                    head.status,
                    "responses.schema_mismatch",
                    f"response does not match its schema at {where}",
                    "oversharing",
                    mode="monitor",
                )
        if sensitive is not None:
            found = []
            value = sensitive.clean_json(value, kinds, found)

            blocked = self._after_masking(head, ctx, found)
            if blocked is not None:
                return blocked
            changed = changed or bool(found)
        return orjson.dumps(value) if changed else body

    @staticmethod
    def _after_masking(head: ResponseHead, ctx: Context, found: list[Detection]) -> bytes | None:
        if not found:
            return None
        kinds = sorted({d.kind for d in found})
        if any(d.action == "block" for d in found):
            _record(
                ctx,
                502,
                "responses.sensitive.blocked",
                f"withheld a response carrying {', '.join(kinds)}",
                "oversharing",
            )
            return _replace(head, ctx, 502)
        where = ", ".join(d.where for d in found[:10])
        _record(
            ctx,
            head.status,
            "responses.sensitive.masked",
            f"masked {', '.join(kinds)} at {where}",
            "oversharing",
            mode="monitor",
        )
        return None


def _unreachable(head: ResponseHead, body: bytes) -> bytes:  # pragma: no cover - the host refuses first
    raise AssertionError("a response over the inspection limit cannot reach its transform")


def _replace(head: ResponseHead, ctx: Context, status: int) -> bytes:
    head.status = status
    head.headers = [
        (k, v)
        for k, v in head.headers
        if k not in ("content-type", "content-length", "etag", "content-encoding", "content-disposition")
    ]
    head.headers.append(("content-type", CONTENT_TYPE))
    return problem_body(status, ctx.request_id)


def _record(ctx: Context, status: int, rule: str, reason: str, category: str, mode: str = "enforce") -> None:
    ctx.findings.append(Finding("responses", mode, Verdict.refuse(status, rule, reason, category=category)))
