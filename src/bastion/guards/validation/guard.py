"""The validate guard: a request reaches the API only if its parameters and body match the spec.

Checklist item: "validate every request". Refusals: 400 for malformed input (bad JSON, duplicate
keys, broken forms), 415 for a content type the operation does not declare, 422 with an `errors` list
naming each location (`query/limit`, `body/items/3/price`) and the rule broken. A refusal never echoes
more than 64 characters of a bad value, and only inside JSON.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs

from bastion.config.validation import ValidationConfig
from bastion.core.context import Context
from bastion.core.forms import FormError, FormField
from bastion.core.json_body import BodyError, JSONLimits
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.guards.validation.params import coerce, query_value, simple_value
from bastion.openapi.spec import CompiledSpec, MediaSpec, OperationSpec

_MAX_ERRORS = 20
# Control characters: C0 other than tab, LF and CR, DEL, C1, and the bidirectional overrides used
# to disguise text. Every other character of every script is data, raw or escaped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Header and cookie values arrive as Latin-1 text, where the bytes of UTF-8 (0x80-0x9f among them)
# are not C1 characters: only C0 controls and DEL are looked for there.
_HEADER_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A JSON text that may carry one of them, raw (UTF-8) or escaped (\u0085, \b, \f). A prefilter
# over the bytes: it may say "maybe" (`\u00e9`, a literal `\\b`), never miss one; the parsed
# strings then decide (`_json_has_control`).
_JSON_CONTROL_HINT = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\\(?:[bf]|u00[0-9a-fA-F]{2}|u20[26][0-9a-fA-F])"
)
_MAX_WALK = 100_000
# Bytes that were not UTF-8 are carried as lone surrogates (surrogateescape); no JSON Schema string can
# hold them (the validator would raise), so they are refused as an encoding problem.
_NOT_UTF8 = re.compile("[" + chr(0xD800) + "-" + chr(0xDFFF) + "]")


def _may_hint_control(body: bytes) -> bool:
    """Whether `_JSON_CONTROL_HINT` can match at all: each of its forms opens with one of these
    bytes, and four byte searches cost less than the expression's scan of a clean body."""
    return b"\\" in body or b"\xe2" in body or b"\xc2" in body or b"\x7f" in body


def _rule_name(error: Any) -> str:
    name = type(error.kind).__name__
    return name[:1].lower() + name[1:] if name else "schema"


class ValidationGuard:
    needs_body = True

    def __init__(self, config: ValidationConfig, spec: CompiledSpec) -> None:
        self._config = config
        self._limits = JSONLimits(config.max_depth, config.max_elements, config.max_string, config.max_number_digits)
        self._echo = config.max_echo
        self._strict_query = config.strict_query
        self._operations: dict[str, OperationSpec] = {spec_op.id: spec_op for spec_op in spec.operations.values()}

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        op = ctx.operation
        spec_op = self._operations.get(op) if op is not None else None
        if spec_op is None:
            return None
        errors: list[dict[str, Any]] = []
        self._parameters(request, ctx, spec_op, errors)
        verdict = self._body(request, spec_op, errors)
        if verdict is not None:
            return verdict
        if errors:
            first = errors[0]
            return Verdict.refuse(
                422,
                f"validation.{first['rule']}",
                f"{len(errors)} problem(s), first at {first['location']}",
                category="validation",
                detail="The request does not match the API's description.",
                extra={"errors": errors[:_MAX_ERRORS]},
                location=first["location"],
            )
        return None

    # -- parameters --------------------------------------------------------------------------------
    def _parameters(self, request: Request, ctx: Context, op: OperationSpec, errors: list[dict[str, Any]]) -> None:  # noqa: PLR0912  hot path: one branch per parameter location, one pass
        pairs = request.query_params
        known_query: set[str] = set()
        for param in op.parameters:
            location = param.location
            present = False
            value: Any = None
            if location == "path":
                raw = ctx.route.params.get(param.name) if ctx.route else None
                present = raw is not None
                if present:
                    value = simple_value(param, raw)  # type: ignore[arg-type]
            elif location == "query":
                known_query.add(param.name)
                present, value = query_value(param, pairs)
            elif location == "header":
                raw = request.headers.get(param.name.lower())
                present = raw is not None
                if present:
                    value = simple_value(param, raw)  # type: ignore[arg-type]
            elif location == "cookie":
                raw = request.cookies.get(param.name)
                present = raw is not None
                if present:
                    value = coerce(raw, param.kind)  # type: ignore[arg-type]
            where = f"{location}/{param.name}"
            if not present:
                if param.required:
                    errors.append({"location": where, "rule": "required", "message": "required parameter missing"})
                continue
            if _has_control(value, _NOT_UTF8):
                errors.append({"location": where, "rule": "encoding", "message": "not valid UTF-8"})
                continue
            if _has_control(value, _HEADER_CONTROL if location in ("header", "cookie") else _CONTROL):
                errors.append(
                    {
                        "location": where,
                        "rule": "controlCharacters",
                        "message": "control or bidirectional-override characters are not accepted",
                    }
                )
                continue
            if param.validator is not None and not param.validator.is_valid(value):
                for error in param.validator.iter_errors(value):
                    errors.append(self._describe(error, where))
        if self._strict_query:
            deep = {p.name for p in op.parameters if p.location == "query" and p.style == "deepObject"}
            for name, value in pairs:
                base = name.split("[", 1)[0] if "[" in name else name
                if name not in known_query and base not in deep:
                    errors.append(
                        {
                            "location": f"query/{name[:64]}",
                            "rule": "unknownParameter",
                            "message": "the operation declares no such query parameter",
                        }
                    )
                elif _CONTROL.search(value):
                    errors.append(
                        {
                            "location": f"query/{name[:64]}",
                            "rule": "controlCharacters",
                            "message": "control or bidirectional-override characters are not accepted",
                        }
                    )

    # -- body --------------------------------------------------------------------------------------
    def _body(self, request: Request, op: OperationSpec, errors: list[dict[str, Any]]) -> Verdict | None:  # noqa: PLR0911  hot path: one refusal per body problem (missing, media, size, parse, schema)
        body = request.body
        if not body:
            if op.body_required and not request.body_withheld:
                errors.append({"location": "body", "rule": "required", "message": "a request body is required"})
            return None
        if not op.body:
            return _refuse(415, "validation.content_type", "the operation takes no request body")
        media = request.content_type
        spec = _media_for(op.body, media)
        if spec is None:
            return _refuse(415, "validation.content_type", f"content type {media[:64]!r} is not declared")
        if len(body) > self._config.max_spec_body:
            return _refuse(413, "validation.body_size", "body larger than max_spec_body")
        if request.is_json or spec.media_type.endswith("json"):
            return self._json(request, spec, errors)
        if media in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            return self._form(request, spec, media, errors)
        return None

    def _json(self, request: Request, spec: MediaSpec, errors: list[dict[str, Any]]) -> Verdict | None:
        body = request.body or b""
        try:
            value = request.json(self._limits)
        except BodyError as problem:
            return Verdict.refuse(
                problem.status, problem.rule, problem.reason, category="validation", location=problem.location
            )
        if _may_hint_control(body) and _JSON_CONTROL_HINT.search(body) is not None and _json_has_control(value):
            errors.append(
                {
                    "location": "body",
                    "rule": "controlCharacters",
                    "message": "control or bidirectional-override characters are not accepted",
                }
            )
            return None
        validator = spec.validator
        if validator is not None:
            # Judged on the exact decimals: 150.00000000000001 is above a maximum of 150 for an API
            # that reads it with BigDecimal, even though its double is 150.0.
            value = request.exact_json(self._limits)
        if validator is not None and not validator.is_valid(value):
            for error in validator.iter_errors(value):
                errors.append(self._describe(error, "body"))
                if len(errors) >= _MAX_ERRORS:
                    break
        return None

    def _form(self, request: Request, spec: MediaSpec, media: str, errors: list[dict[str, Any]]) -> Verdict | None:
        try:
            fields = request.form(self._config.max_form_fields)
        except FormError as exc:
            return Verdict.refuse(400, "validation.form.malformed", str(exc), category="validation")
        for field in fields:
            where = f"body/{field.name[:64]}"
            if len(field.name) > self._config.max_field_name:
                errors.append({"location": where, "rule": "fieldName", "message": "field name longer than the limit"})
            elif spec.properties is not None and field.name not in spec.properties:
                errors.append(
                    {"location": where, "rule": "unknownField", "message": "the operation declares no such field"}
                )
            elif field.filename is None and _CONTROL.search(field.value):
                errors.append(
                    {
                        "location": where,
                        "rule": "controlCharacters",
                        "message": "control or bidirectional-override characters are not accepted",
                    }
                )
        if media == "application/x-www-form-urlencoded" and spec.validator is not None and not errors:
            document = _form_document(fields, spec.kinds)
            if _has_control(document, _NOT_UTF8):
                errors.append({"location": "body", "rule": "encoding", "message": "not valid UTF-8"})
            elif not spec.validator.is_valid(document):
                for error in spec.validator.iter_errors(document):
                    errors.append(self._describe(error, "body"))
        return None

    def _describe(self, error: jsonschema_rs.ValidationError, prefix: str) -> dict[str, Any]:
        path = "/".join(str(p) for p in error.instance_path)
        entry: dict[str, Any] = {
            "location": f"{prefix}/{path}" if path else prefix,
            "rule": _rule_name(error),
            "message": error.message[:200],
        }
        instance = error.instance
        if isinstance(instance, str) and self._echo:
            entry["value"] = instance[: self._echo]
        elif isinstance(instance, bool | int | float) or instance is None:
            entry["value"] = instance
        return entry


def _media_for(declared: dict[str, MediaSpec], media: str) -> MediaSpec | None:
    if media in declared:
        return declared[media]
    main = media.split("/", 1)[0]
    for candidate in (f"{main}/*", "*/*"):
        if candidate in declared:
            return declared[candidate]
    if media.endswith("+json") and "application/json" in declared:
        return declared["application/json"]
    return None


def _form_document(fields: list[FormField], kinds: dict[str, str]) -> dict[str, Any]:
    """Form values are text: coerce each to its property's type, as for query parameters."""
    document: dict[str, Any] = {}
    for field in fields:
        value = coerce(field.value, kinds.get(field.name, "string"))
        if field.name in document:
            existing = document[field.name]
            document[field.name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            document[field.name] = value
    return document


def _has_control(value: Any, control: re.Pattern[str] = _CONTROL) -> bool:
    if isinstance(value, str):
        return control.search(value) is not None
    if isinstance(value, list):
        return any(isinstance(v, str) and control.search(v) for v in value)
    if isinstance(value, dict):
        return any(isinstance(v, str) and control.search(v) for v in value.values())
    return False


def _json_has_control(value: Any) -> bool:
    """Whether a string (or key) of a parsed JSON value holds a control character (bounded walk)."""
    stack = [value]
    seen = 0
    while stack and seen < _MAX_WALK:
        node = stack.pop()
        seen += 1
        if isinstance(node, str):
            if _CONTROL.search(node) is not None:
                return True
        elif isinstance(node, dict):
            for key, item in node.items():
                if _CONTROL.search(key) is not None:
                    return True
                stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
    return bool(stack)  # past the bound, undecided: refuse rather than guess


def _refuse(status: int, rule: str, reason: str) -> Verdict:
    return Verdict.refuse(status, rule, reason, category="validation")
