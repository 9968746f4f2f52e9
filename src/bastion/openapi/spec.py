"""The spec compiled once at start-up: one validator per parameter, body and response, and shapes.

Loading: external file references are bundled, the document's structure is checked against the
OpenAPI Initiative's published 3.0/3.1 schemas (metaschemas/, run by jsonschema-rs), and every schema
is compiled by jsonschema-rs in one pass (`validator_map_for`), which also meta-validates the schemas.
openapi-spec-validator's full Python validation took 9.2 s on a 2 MB spec; this path loads the same
spec in well under the 5 s target (see tests/test_spec_loading.py).

Patterns run on the `regex` crate (RegexOptions): matching is linear-time, and a pattern that needs
backtracking (lookaround, backreferences) is refused at load with the schema location.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from bastion import cache
from bastion.openapi.bundle import BUNDLED, Bundler
from bastion.openapi.document import HTTP_METHODS, OpenAPIDocument, SpecError
from bastion.openapi.refs import deref, resolve_pointer
from bastion.openapi.schemas import convert

_MAX_STRUCTURE_ERRORS = 8


@dataclass
class ParameterSpec:
    name: str
    location: str  # path, query, header, cookie
    required: bool
    style: str
    explode: bool
    kind: str  # the schema's primary type: string, integer, number, boolean, array, object
    item_kind: str
    validator: Any = field(repr=False, default=None)


@dataclass
class MediaSpec:
    media_type: str
    validator: Any = field(repr=False, default=None)
    properties: frozenset[str] | None = None  # declared top-level properties (for forms), None: open
    kinds: dict[str, str] = field(default_factory=dict)  # property -> primary type, to coerce form values


@dataclass
class Shape:
    """What a response may carry: declared properties, item shape, or anything (keep)."""

    keep: bool = False
    properties: dict[str, Shape] | None = None
    items: Shape | None = None
    extra: Shape | None = None  # additionalProperties as a shape (keep-all shape for `true`)
    # set once built: an object whose declared properties are all leaves, filtered in one comprehension
    flat_names: frozenset[str] | None = None

    def finalize(self, seen: set[int] | None = None) -> None:
        seen = set() if seen is None else seen
        if id(self) in seen:
            return
        seen.add(id(self))
        if self.properties is not None and self.extra is None and all(s.keep for s in self.properties.values()):
            self.flat_names = frozenset(self.properties)
        for child in (*(self.properties or {}).values(), self.items, self.extra):
            if child is not None:
                child.finalize(seen)


@dataclass
class ResponseSpec:
    validator: Any = field(repr=False, default=None)
    shape: Shape | None = None
    schema_key: str | None = None  # where its schema sits in the compiled document


@dataclass
class OperationSpec:
    id: str
    parameters: list[ParameterSpec] = field(default_factory=list)
    body_required: bool = False
    body: dict[str, MediaSpec] = field(default_factory=dict)  # media type -> spec; empty: no body declared
    responses: dict[str, dict[str, ResponseSpec]] = field(default_factory=dict)  # status -> media -> spec

    def response_for(self, status: int, media: str) -> ResponseSpec | None:
        by_media = self.declared_responses(status)
        return media_match(by_media, media) if by_media is not None else None

    def declared_responses(self, status: int) -> dict[str, ResponseSpec] | None:
        """The declared content (media type -> spec) for a status: its own entry, then its range
        (2XX), then `default`; None when the operation declares none of them. An entry without
        `content` is an empty dict: the status is declared, with no body."""
        responses = self.responses
        found = responses.get(str(status))
        if found is None:
            found = responses.get(f"{status // 100}XX")
            if found is None:
                found = responses.get(f"{status // 100}xx")
                if found is None:
                    found = responses.get("default")
        return found


def media_match(by_media: dict[str, Any], media: str) -> Any:
    """The entry for a media type: exact, `type/*`, `*/*`, then any JSON type for a JSON one."""
    if media in by_media:
        return by_media[media]
    main = media.split("/", 1)[0]
    for candidate in (f"{main}/*", "*/*"):
        if candidate in by_media:
            return by_media[candidate]
    if "json" in media:
        for key, value in by_media.items():
            if "json" in key:
                return value
    return None


def _nothing_declared() -> Shape:
    """The shape of a body nothing declares: objects keep no property, arrays hold such objects."""
    shape = Shape(properties={})
    shape.items = shape
    shape.finalize()
    return shape


NOTHING_DECLARED = _nothing_declared()


class CompiledSpec:
    def __init__(self, document: OpenAPIDocument, *, formats: bool = True) -> None:
        self.document = document
        data = Bundler(document.path, document.data).bundle()
        self._openapi30 = document.version.startswith("3.0")
        _check_structure(data, self._openapi30, document.path)
        self._data = data
        self._defs: dict[str, Any] = {}
        self._origins: dict[str, str] = {}  # $defs key -> where in the spec it came from, for errors
        self._counter = 0
        components = data.get("components") or {}
        bundle_doc: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "request": self._convert_components(components, "request"),
            "response": self._convert_components(components, "response"),
            "$defs": self._defs,
        }
        self.operations: dict[tuple[str, str], OperationSpec] = {}
        pending: list[tuple[Any, str]] = []  # (object to receive a validator, $defs key)
        for template, method, op, path_item in _operations(data):
            spec = self._operation(template, method, op, path_item, pending)
            self.operations[(method.upper(), template)] = spec
        try:
            validators = jsonschema_rs.validator_map_for(
                bundle_doc,
                validate_formats=formats,
                ignore_unknown_formats=True,
                pattern_options=jsonschema_rs.RegexOptions(),
                mask="***",
            )
        except jsonschema_rs.ValidationError as exc:
            raise SpecError(f"{document.path}: a schema is invalid: {_first_line(str(exc))}") from None
        except (ValueError, jsonschema_rs.ReferencingError) as exc:
            raise SpecError(f"{document.path}: a schema cannot be compiled: {_first_line(str(exc))}") from None
        for target, key in pending:
            target.validator = validators.get(f"#/$defs/{key}")
            if target.validator is None:
                # validator_map_for skips what it cannot compile: compile it alone for the reason.
                self._explain_failure(bundle_doc, key, formats)
        self._shape_cache: dict[str, Shape] = {}
        self._bundle_doc = bundle_doc
        for spec in self.operations.values():
            for by_media in spec.responses.values():
                for response in by_media.values():
                    if response.schema_key is not None:
                        response.shape = self._shape({"$ref": f"#/$defs/{response.schema_key}"}, 0)
                        response.shape.finalize()

    def _explain_failure(self, bundle_doc: dict[str, Any], key: str, formats: bool) -> None:
        where = self._origins.get(key, key)
        try:
            jsonschema_rs.validator_for(
                {**bundle_doc, "$ref": f"#/$defs/{key}"},
                validate_formats=formats,
                pattern_options=jsonschema_rs.RegexOptions(),
            )
        except (jsonschema_rs.ValidationError, ValueError, jsonschema_rs.ReferencingError) as exc:
            detail = _first_line(str(exc))
            raise SpecError(f"{self.document.path}: {where}: a schema is invalid: {detail}") from None
        raise SpecError(f"{self.document.path}: {where}: a schema cannot be compiled")

    # -- compilation -------------------------------------------------------------------------------
    def _convert_components(self, components: dict[str, Any], direction: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for section in ("schemas", BUNDLED):
            entries = components.get(section)
            if isinstance(entries, dict):
                out[section] = {
                    name: convert(schema, openapi30=self._openapi30, direction=direction)
                    for name, schema in entries.items()
                }
        for section in ("parameters", "requestBodies", "responses", "headers"):
            if isinstance(components.get(section), dict):
                out[section] = {}  # placeholders so stray references resolve to something harmless
        return out

    def _add(self, schema: Any, direction: str, origin: str) -> str:
        key = f"s{self._counter}"
        self._origins[key] = origin
        self._counter += 1
        self._defs[key] = convert(self._inline_foreign_refs(schema), openapi30=self._openapi30, direction=direction)
        return key

    def _inline_foreign_refs(self, schema: Any) -> Any:
        """A parameter or body schema may itself be a reference outside components/schemas: follow it."""
        if isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if isinstance(ref, str) and not ref.startswith(("#/components/schemas/", f"#/components/{BUNDLED}/")):
                return deref(self._data, schema)
        return schema

    def _operation(  # noqa: PLR0912  compiles one operation at start-up: parameters, bodies, responses, security
        self, template: str, method: str, op: dict[str, Any], path_item: dict[str, Any], pending: list[tuple[Any, str]]
    ) -> OperationSpec:
        op_id = str(op.get("operationId") or f"{method.upper()} {template}")
        spec = OperationSpec(op_id)
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(path_item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = deref(self._data, raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str) and param.get("in"):
                params[(param["in"], param["name"])] = param
        for (location, name), param in params.items():
            schema = param.get("schema")
            if schema is None:
                content = param.get("content") or {}
                schema = next((v.get("schema") for v in content.values() if isinstance(v, dict)), None)
            resolved = deref(self._data, schema) if schema is not None else {}
            kind, item_kind = _kinds(self._data, resolved)
            style = param.get("style") or ("form" if location in ("query", "cookie") else "simple")
            parameter = ParameterSpec(
                name=name,
                location=location,
                required=bool(param.get("required")) or location == "path",
                style=str(style),
                explode=bool(param.get("explode", style == "form")),
                kind=kind,
                item_kind=item_kind,
            )
            if schema is not None:
                origin = f"paths.{template}.{method}.parameters.{name}"
                pending.append((parameter, self._add(schema, "request", origin)))
            spec.parameters.append(parameter)
        body = deref(self._data, op.get("requestBody"))
        if isinstance(body, dict):
            spec.body_required = bool(body.get("required"))
            for media, entry in (body.get("content") or {}).items():
                media_spec = MediaSpec(media_type=media.split(";")[0].strip().lower())
                schema = entry.get("schema") if isinstance(entry, dict) else None
                if schema is not None:
                    origin = f"paths.{template}.{method}.requestBody.content.{media}"
                    pending.append((media_spec, self._add(schema, "request", origin)))
                    resolved = deref(self._data, schema)
                    if isinstance(resolved, dict) and isinstance(resolved.get("properties"), dict):
                        if resolved.get("additionalProperties") is not True:
                            media_spec.properties = frozenset(resolved["properties"])
                        media_spec.kinds = {
                            name: _kinds(self._data, sub)[0] for name, sub in resolved["properties"].items()
                        }

                spec.body[media_spec.media_type] = media_spec
        for status, raw in (op.get("responses") or {}).items():
            response = deref(self._data, raw)
            if not isinstance(response, dict):
                continue
            by_media: dict[str, ResponseSpec] = {}
            for media, entry in (response.get("content") or {}).items():
                schema = entry.get("schema") if isinstance(entry, dict) else None
                response_spec = ResponseSpec()
                if schema is not None:
                    origin = f"paths.{template}.{method}.responses.{status}.content.{media}"
                    response_spec.schema_key = self._add(schema, "response", origin)

                    pending.append((response_spec, response_spec.schema_key))
                by_media[media.split(";")[0].strip().lower()] = response_spec
            spec.responses[str(status)] = by_media
        return spec

    def _shape(self, schema: Any, depth: int) -> Shape:  # noqa: PLR0912  one branch per JSON Schema keyword a response shape keeps
        if depth > 64 or not isinstance(schema, dict):
            return Shape(keep=True)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            cached = self._shape_cache.get(ref)
            if cached is not None:
                return cached
            target = resolve_pointer(self._bundle_doc, ref)
            placeholder = Shape()
            self._shape_cache[ref] = placeholder  # recursion (a tree of nodes) reuses the same shape
            built = self._shape(target, depth + 1)
            placeholder.keep, placeholder.properties = built.keep, built.properties
            placeholder.items, placeholder.extra = built.items, built.extra
            return placeholder
        combined: list[Shape] = []
        for combinator in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(combinator) or ():
                combined.append(self._shape(sub, depth + 1))
        properties = schema.get("properties")
        items = schema.get("items")
        shape = Shape()
        if isinstance(properties, dict):
            shape.properties = {name: self._shape(sub, depth + 1) for name, sub in properties.items()}
            extra = schema.get("additionalProperties")
            if extra is True:
                shape.extra = Shape(keep=True)
            elif isinstance(extra, dict):
                shape.extra = self._shape(extra, depth + 1)
        elif isinstance(items, dict):
            shape.items = self._shape(items, depth + 1)
        elif not combined:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                shape.properties = {}
                shape.extra = self._shape(extra, depth + 1)
            else:
                shape.keep = True  # a scalar, or an object the spec leaves open: nothing to drop
        for other in combined:
            shape = _merge(shape, other)
        return shape


def _merge(left: Shape, right: Shape) -> Shape:
    structured = any(s.properties is not None or s.items is not None for s in (left, right))
    if (left.keep or right.keep) and not structured:
        return Shape(keep=True)
    merged = Shape(keep=left.keep and right.keep)
    if left.properties is not None or right.properties is not None:
        merged.properties = {**(left.properties or {}), **(right.properties or {})}
    merged.items = left.items or right.items
    merged.extra = left.extra or right.extra
    if merged.properties is None and merged.items is None and (left.keep or right.keep):
        merged.keep = True
    return merged


def _kinds(data: Any, schema: Any) -> tuple[str, str]:
    schema = deref(data, schema)
    if not isinstance(schema, dict):
        return "string", "string"
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind is None:
        for combinator in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(combinator) or ():
                sub_kind, sub_item = _kinds(data, sub)
                if sub_kind != "string":
                    return sub_kind, sub_item
        kind = "object" if "properties" in schema else "string"
    item_kind = "string"
    if kind == "array":
        item_kind = _kinds(data, schema.get("items") or {})[0]
    return str(kind), item_kind


def _operations(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    for template, raw in (data.get("paths") or {}).items():
        item = deref(data, raw)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)

            if isinstance(op, dict):
                yield str(template), method, op, item


_METASCHEMAS = Path(__file__).resolve().parent / "metaschemas"


def _structure_validator(schema: dict[str, Any]) -> Any:
    """The OpenAPI Initiative's schema for 3.0 or 3.1 documents, compiled for one check (3-5 ms).

    The same files and the same engine openapi-spec-validator uses when jsonschema-rs is installed,
    without its import: that package and its jsonschema/referencing/pydantic-settings stack cost a
    worker about 10 MiB of memory for one check at start-up. Not kept: the compiled 3.1 schema
    holds about 4 MiB.
    """
    return jsonschema_rs.validator_cls_for(schema)(schema)


def _check_structure(data: dict[str, Any], openapi30: bool, path: Any) -> None:
    """The document against the OpenAPI Initiative's schema, unless this very document (after
    bundling) passed that check on an earlier start: its mark in the on-disk cache saves the check's
    time and the 1 MiB of resident memory that compiling and running the meta-schema leaves."""
    metaschema = (_METASCHEMAS / ("oas-3.0.json" if openapi30 else "oas-3.1.json")).read_bytes()
    mark = _checked_mark(data, metaschema)
    if mark is None or not mark.is_file():
        problems = []
        for error in _structure_validator(orjson.loads(metaschema)).iter_errors(data):
            location = ".".join(str(part) for part in error.instance_path)
            problems.append(f"{location or '(root)'}: {_first_line(error.message)}")
            if len(problems) >= _MAX_STRUCTURE_ERRORS:
                break
        if problems:
            raise SpecError(f"{path}: not a valid OpenAPI document:\n  - " + "\n  - ".join(problems))
        if mark is not None:
            cache.write(mark, b"")
    else:
        cache.used(mark)
    _check_path_parameters(data, path)


def _checked_mark(data: dict[str, Any], metaschema: bytes) -> Path | None:
    """Where the mark of "this document is well-formed" goes: keyed by the document's content, the
    meta-schema's and jsonschema-rs's version (None: the cache is off, or the document has values
    JSON cannot hold, which the check then reads every time)."""
    try:
        content = orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return None
    digest = hashlib.sha256(f"{getattr(jsonschema_rs, '__version__', '?')}\x00".encode())
    digest.update(hashlib.sha256(metaschema).digest())
    digest.update(content)
    return cache.entry("openapi-checked", digest.hexdigest(), "mark")


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else message


def _check_path_parameters(data: dict[str, Any], path: Any) -> None:
    """Every `{name}` in a path template needs a path parameter of that name."""
    for template, method, op, item in _operations(data):
        declared = set()
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = deref(data, raw)
            if isinstance(param, dict) and param.get("in") == "path":
                declared.add(param.get("name"))
        for name in re.findall(r"\{([^{}]+)\}", template):
            if name not in declared:
                raise SpecError(f"{path}: paths.{template}.{method}: path parameter {name!r} is not declared")
