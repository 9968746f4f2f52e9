"""The API as the scanner sees it: operations with fully inlined JSON Schemas, ready to fill and mutate.

The gateway compiles the spec for validation; the scanner needs something else: every schema with its
`$ref`s inlined (recursion cut to "anything"), OpenAPI 3.0 dialect converted, examples kept, and, per
operation, which parameters it takes, whether it declares security and what it promises to return.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from bastion.openapi.document import OpenAPIDocument
from bastion.openapi.refs import resolve_pointer
from bastion.openapi.schemas import convert

_INLINE_DEPTH = 10
_PARAM = re.compile(r"\{([^{}/]+)\}")
_NOT_RESOURCES = frozenset({"me", "self", "current", "search", "list", "all", "find", "query", "mine", "api"})
_VERSION = re.compile(r"v\d+(\.\d+)?")
ADMIN_WORDS = frozenset({"admin", "administration", "internal", "manage", "management", "staff", "superuser", "ops"})


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query, header, cookie
    required: bool
    schema: dict[str, Any]


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str | None
    tags: frozenset[str]
    parameters: list[Parameter]
    body_schema: dict[str, Any] | None
    body_media: str | None
    body_required: bool
    responses: dict[str, dict[str, Any] | None]
    security: list[dict[str, list[str]]]
    raw: dict[str, Any] = field(repr=False)

    @property
    def key(self) -> str:
        return self.operation_id or f"{self.method} {self.path}"

    @property
    def secured(self) -> bool:
        """Declares that a credential is needed: at least one requirement, and none of them empty."""
        return bool(self.security) and all(req for req in self.security)

    @property
    def path_params(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "path"]

    @property
    def query_params(self) -> list[Parameter]:
        return [p for p in self.parameters if p.location == "query"]

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH")

    @property
    def json_body(self) -> bool:
        return self.body_schema is not None and (self.body_media or "").endswith("json")

    @property
    def static_segments(self) -> list[str]:
        return [s for s in self.path.split("/") if s and not _PARAM.fullmatch(s)]

    @property
    def resource(self) -> str:
        """The kind of object the path is about: `/api/orders/{id}` and `/api/orders` are about `order`."""
        segments = [s for s in self.path.split("/") if s]
        for index in range(len(segments) - 1, -1, -1):
            segment = segments[index]
            if _PARAM.fullmatch(segment) or segment.lower() in _NOT_RESOURCES or _VERSION.fullmatch(segment):
                continue
            return singular(segment)
        return ""

    def resource_of(self, param: str) -> str:
        """What a path parameter identifies: `{order_id}` an order; a bare `{id}` the segment before it."""
        named = id_resource(param)
        if named:
            return named
        segments = [s for s in self.path.split("/") if s]
        for index, segment in enumerate(segments):
            if segment == "{" + param + "}" and index > 0 and not _PARAM.fullmatch(segments[index - 1]):
                return singular(segments[index - 1])
        return ""

    @property
    def admin_by_declaration(self) -> bool:
        """Admin by tag, path segment or scope name: declared privileged whatever the API does."""
        words = {t.lower() for t in self.tags} | {s.lower() for s in self.static_segments}
        words |= {scope.lower().split(":")[0] for req in self.security for scopes in req.values() for scope in scopes}
        return bool(words & ADMIN_WORDS)

    def success_schema(self) -> dict[str, Any] | None:
        for status in sorted(self.responses):
            if status.startswith("2") and self.responses[status] is not None:
                return self.responses[status]
        return None

    def declares_status(self, status: int) -> bool:
        text = str(status)
        return text in self.responses or f"{text[0]}XX" in self.responses or "default" in self.responses

    def render_path(self, values: dict[str, str]) -> str:
        def fill(match: re.Match[str]) -> str:
            return quote(str(values.get(match.group(1), "1")), safe="")

        return _PARAM.sub(fill, self.path)


def singular(word: str) -> str:
    word = word.lower().replace("-", "_")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def id_resource(name: str) -> str:
    """`product_id`, `productId`, `product-uuid` name a product; a bare `id` names nothing by itself."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower().replace("-", "_")
    for suffix in ("_id", "_uuid", "_key", "_slug", "_no", "_number"):
        if snake.endswith(suffix) and len(snake) > len(suffix):
            return singular(snake[: -len(suffix)])
    return ""


class Spec:
    def __init__(self, document: OpenAPIDocument) -> None:
        self.document = document
        self.data = document.data
        self.openapi30 = document.version.startswith("3.0")
        self.servers = [str(s.get("url", "")) for s in self.data.get("servers") or [] if isinstance(s, dict)]
        components = self.data.get("components") or {}
        self.security_schemes: dict[str, Any] = dict(components.get("securitySchemes") or {})
        top_security = self.data.get("security") or []
        self.operations: list[Operation] = list(self._operations(top_security))
        self.paths = sorted({op.path for op in self.operations})

    def find(self, method: str, path: str) -> Operation | None:
        """The operation a concrete request path belongs to (templates matched segment by segment)."""
        segments = [s for s in path.split("?", maxsplit=1)[0].split("/") if s]
        for op in self.operations:
            if op.method != method.upper():
                continue
            template = [s for s in op.path.split("/") if s]
            if len(template) == len(segments) and all(
                _PARAM.fullmatch(t) or t == s for t, s in zip(template, segments, strict=True)
            ):
                return op
        return None

    def schema(self, node: Any, direction: str) -> dict[str, Any]:
        inlined = _inline(self.data, node, 0, ())
        converted = convert(inlined, openapi30=self.openapi30, direction=direction)
        return converted if isinstance(converted, dict) else {}

    def _operations(self, top_security: list[Any]) -> Iterator[Operation]:
        for spec_op in self.document.operations():
            node = spec_op.node
            params: dict[tuple[str, str], Parameter] = {}
            for raw in [*(spec_op.path_item.get("parameters") or []), *(node.get("parameters") or [])]:
                param = _deref(self.data, raw)
                if not isinstance(param, dict) or "name" not in param:
                    continue
                location = str(param.get("in", "query"))
                schema = self.schema(param.get("schema") or {}, "request")
                if "example" in param and "examples" not in schema:
                    schema["examples"] = [param["example"]]
                params[(location, str(param["name"]))] = Parameter(
                    name=str(param["name"]),
                    location=location,
                    required=bool(param.get("required")) or location == "path",
                    schema=schema,
                )
            body_schema: dict[str, Any] | None = None
            body_media: str | None = None
            body_required = False
            body = _deref(self.data, node.get("requestBody"))
            if isinstance(body, dict):
                content = body.get("content") or {}
                media = _preferred_media(content)
                if media is not None:
                    body_media = media
                    body_schema = self.schema((content[media] or {}).get("schema") or {}, "request")
                    example = (content[media] or {}).get("example")
                    if example is not None and "examples" not in body_schema:
                        body_schema["examples"] = [example]
                body_required = bool(body.get("required"))
            responses: dict[str, dict[str, Any] | None] = {}
            for status, raw_response in (node.get("responses") or {}).items():
                response = _deref(self.data, raw_response)
                response_schema: dict[str, Any] | None = None
                if isinstance(response, dict):
                    content = response.get("content") or {}
                    media = _preferred_media(content)
                    if media is not None and isinstance(content[media], dict) and "schema" in content[media]:
                        response_schema = self.schema(content[media]["schema"], "response")
                responses[str(status).upper()] = response_schema
            security = node.get("security", top_security)
            yield Operation(
                method=spec_op.method,
                path=spec_op.template,
                operation_id=spec_op.operation_id,
                tags=spec_op.tags,
                parameters=list(params.values()),
                body_schema=body_schema,
                body_media=body_media,
                body_required=body_required,
                responses=responses,
                security=[req for req in security if isinstance(req, dict)] if isinstance(security, list) else [],
                raw=node,
            )


def _preferred_media(content: dict[str, Any]) -> str | None:
    if not isinstance(content, dict) or not content:
        return None
    for media in content:
        if media.split(";")[0].strip().endswith("json"):
            return str(media)
    return str(next(iter(content)))


def _deref(document: dict[str, Any], node: Any) -> Any:
    for _ in range(16):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
            node = resolve_pointer(document, node["$ref"])
        else:
            return node
    return None


def _inline(document: dict[str, Any], node: Any, depth: int, stack: tuple[str, ...]) -> Any:
    """A copy with local references replaced by their targets; a cycle or great depth becomes `{}`."""
    if depth > 64:
        return {}
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            if ref in stack or len(stack) >= _INLINE_DEPTH:
                return {}
            target = resolve_pointer(document, ref)
            merged = _inline(document, target, depth + 1, (*stack, ref)) if isinstance(target, dict) else {}
            siblings = {k: _inline(document, v, depth + 1, stack) for k, v in node.items() if k != "$ref"}
            return {**merged, **siblings} if siblings else merged
        out = {k: _inline(document, v, depth + 1, stack) for k, v in node.items()}
        if "example" in out and "examples" not in out and isinstance(out.get("type"), str | list):
            out["examples"] = [out["example"]]
        return out
    if isinstance(node, list):
        return [_inline(document, item, depth + 1, stack) for item in node]
    return node
