"""What the spec declares for one response: the operation, its status, and the body's media type.

- A status falls back to its range (`2XX`) and then to `default`. With none of them, or with a
  status declared without `content`, nothing is declared about the body: in filter mode a JSON
  body then keeps no property at all (`NOTHING_DECLARED`), whatever the status (a 418, a 201, a
  302 the spec never mentions).
- A media type the status declares content for, but not this one (nor `type/*`, `*/*`, nor any
  JSON type for a JSON one), is refused in filter mode: the spec says what this answer carries,
  and a body labelled otherwise (`text/html`, `application/octet-stream`, no label) is not it.
- Operations the spec does not describe are not filtered by shape; their bodies are still
  sniffed, masked and scanned (egress/inspection.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bastion.core.context import Context
from bastion.core.verdict import Finding, Verdict
from bastion.openapi.spec import NOTHING_DECLARED, CompiledSpec, OperationSpec, Shape, media_match

_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Declaration:
    shape: Shape | None = None  # keep only what this shape declares in a JSON body (None: keep all)
    must_filter: bool = False  # the shape must be applied: the body is filtered whole, or refused
    json_expected: bool = False  # a declared JSON schema: a body that is not JSON is refused
    refusal: str | None = None  # the body's media type is not declared (filter mode): 502
    validator: Any = None  # validate mode: the schema a JSON body is compared with


UNDESCRIBED = Declaration()


class Declarations:
    def __init__(self, spec: CompiledSpec | None, mode: str) -> None:
        self._mode = mode
        self._operations: dict[str, OperationSpec] = (
            {op.id: op for op in spec.operations.values()} if spec is not None and mode != "off" else {}
        )
        # nothing declared: JSON keeps no property; a JSON body too large to hold cannot be stripped
        self._nothing = Declaration(NOTHING_DECLARED) if mode == "filter" else UNDESCRIBED
        self._nothing_json = Declaration(NOTHING_DECLARED, must_filter=True) if mode == "filter" else UNDESCRIBED
        self._cache: dict[tuple[str, int, str], tuple[Declaration, str | None]] = {}

    def plan(self, ctx: Context, status: int, media: str) -> Declaration:
        op_id = ctx.operation
        if op_id is None or op_id not in self._operations:
            return UNDESCRIBED
        key = (op_id, status, media)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._declare(self._operations[op_id], status, media)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()  # media types come from the upstream: keep the table bounded
            self._cache[key] = cached
        declaration, note = cached
        if note is not None:
            verdict = Verdict.refuse(status, note.partition(":")[0], note.partition(":")[2], category="oversharing")
            ctx.findings.append(Finding("responses", "monitor", verdict))
        return declaration

    def _declare(self, op: OperationSpec, status: int, media: str) -> tuple[Declaration, str | None]:  # noqa: PLR0911  one exit per case of the response declaration (status, media, mode)
        """The declaration, and a note for the audit trail ("rule:reason") when something is undeclared."""
        by_media = op.declared_responses(status)
        nothing = self._nothing_json if "json" in media else self._nothing
        if by_media is None:
            # filter mode records what the strip drops (responses.undeclared_fields); validate mode this
            note = (
                f"responses.undeclared_status:{op.id} declares no {status} response" if self._mode != "filter" else None
            )
            return nothing, note
        if not by_media:
            return nothing, None  # declared with no content: an empty body is all it may carry
        response = media_match(by_media, media) if media else None
        if response is None:
            reason = f"content type {media or '(none)'!r} is not declared for {op.id} {status}"
            if self._mode == "filter":
                return Declaration(refusal=reason), None
            return UNDESCRIBED, f"responses.undeclared_content_type:{reason}"
        if self._mode != "filter":
            return Declaration(validator=response.validator), None
        shape = response.shape
        if shape is None or shape.keep:
            return UNDESCRIBED, None
        is_json = "json" in media
        return Declaration(shape, must_filter=is_json, json_expected=is_json), None
