"""Which operation a request asks for: path templates matched segment by segment.

Deny by default starts here: a path no route matches is unknown (404), a method a known route does
not declare is refused (405 with Allow). Literal segments take precedence over templated ones, as
OpenAPI requires (`/users/me` wins over `/users/{id}`), with backtracking so that a literal that
leads nowhere still lets the templated branch match.

Case: many upstreams route without regard to case (Express, ASP.NET, IIS). Unless the policy says the
upstream is case-sensitive, literal segments match in any case, so `/api/ADMIN/users` is the
`/api/admin/users` route and gets its rules, not those of a wildcard route that happens to match too.
Parameters keep the case the client sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bastion.errors import StartupError

_PARAM = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True, slots=True)
class Operation:
    id: str  # OpenAPI operationId, or "METHOD /template"
    method: str
    template: str
    tags: frozenset[str] = frozenset()
    spec: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Route:
    template: str
    operations: Mapping[str, Operation]  # method -> operation; "*" accepts any allowed method
    allow: str  # the Allow header value for 405 answers

    def operation_for(self, method: str) -> Operation | None:
        op = self.operations.get(method)
        if op is None and method == "HEAD":
            op = self.operations.get("GET")  # HEAD is allowed exactly where GET is
        if op is None:
            op = self.operations.get("*")
        return op


@dataclass(frozen=True, slots=True)
class RouteMatch:
    route: Route
    params: Mapping[str, str]
    operation: Operation | None  # None: the path is known but the method is not (405)


class _Node:
    __slots__ = ("literal", "param", "patterns", "route", "tail")

    def __init__(self) -> None:
        self.literal: dict[str, _Node] = {}
        self.patterns: list[tuple[re.Pattern[str], _Node]] = []
        self.param: _Node | None = None
        self.route: _Binding | None = None
        self.tail: _Binding | None = None  # a /** route: matches any remainder


@dataclass(frozen=True, slots=True)
class _Binding:
    route: Route
    # how to read parameters back from the matched segments: (segment index, name or pattern)
    captures: tuple[tuple[int, str | re.Pattern[str]], ...]


@dataclass(frozen=True, slots=True)
class RouteSpec:
    """A template and its operations, before compilation into the router's tree."""

    template: str
    operations: tuple[Operation, ...]


class RouteConflict(StartupError):
    pass


class Router:
    def __init__(self, specs: Iterable[RouteSpec], *, case_sensitive: bool = False) -> None:
        self._case_sensitive = case_sensitive
        self._root = _Node()
        self._exact: dict[str, _Binding] = {}  # templates without parameters: one dict lookup
        self.routes: list[Route] = []
        self.operations: dict[str, Operation] = {}
        for spec in specs:
            self._add(spec)

    def _add(self, spec: RouteSpec) -> None:
        methods = {op.method for op in spec.operations}
        allow = sorted(methods - {"*"})
        if "GET" in methods and "HEAD" not in methods:
            allow.append("HEAD")
        route = Route(spec.template, {op.method: op for op in spec.operations}, ", ".join(sorted(allow)) or "*")
        for op in spec.operations:
            if op.id in self.operations and self.operations[op.id] is not op:
                raise RouteConflict(f"operation name {op.id!r} is used twice")
            self.operations[op.id] = op
        self.routes.append(route)

        segments = spec.template.split("/")[1:]
        is_tail = bool(segments) and segments[-1] == "**"
        if is_tail:
            segments = segments[:-1]
        node, captures = self._node_for(segments)
        binding = _Binding(route, tuple(captures))
        if is_tail:
            if node.tail is not None:
                raise RouteConflict(f"two routes end in {spec.template!r}")
            node.tail = binding
        else:
            if node.route is not None:
                same = "" if self._case_sensitive else " (paths match in any case: ingress.path_case)"
                raise RouteConflict(f"{spec.template!r} and {node.route.route.template!r} are the same route{same}")
            node.route = binding
            if not captures:
                self._exact[spec.template if self._case_sensitive else spec.template.lower()] = binding

    def _node_for(self, segments: list[str]) -> tuple[_Node, list[tuple[int, str | re.Pattern[str]]]]:
        """The tree node a template's segments lead to (made on the way), and what each parameter captures."""
        node = self._root
        captures: list[tuple[int, str | re.Pattern[str]]] = []
        for index, segment in enumerate(segments):
            whole = _PARAM.fullmatch(segment)
            if whole:
                node.param = node.param or _Node()
                node = node.param
                captures.append((index, whole.group(1)))
            elif "{" in segment:
                pattern = _segment_pattern(segment, case_sensitive=self._case_sensitive)
                for existing, child in node.patterns:
                    if existing.pattern == pattern.pattern:
                        node = child
                        break
                else:
                    child = _Node()
                    node.patterns.append((pattern, child))
                    node = child
                captures.append((index, pattern))
            else:
                node = node.literal.setdefault(segment if self._case_sensitive else segment.lower(), _Node())
        return node, captures

    def match(self, method: str, path: str, segments: tuple[str, ...] | None = None) -> RouteMatch | None:
        """`segments` are the percent-decoded path segments; without them, the path has no escapes."""
        folded = self._case_sensitive
        binding = (self._exact.get(path if folded else path.lower())) if segments is None else None
        if binding is None:
            if segments is None:
                segments = tuple(path.split("/")[1:])
            keys = segments if folded else tuple(segment.lower() for segment in segments)
            binding = _walk(self._root, keys, 0)
            if binding is None:
                return None
        if not binding.captures:
            return RouteMatch(binding.route, {}, binding.route.operation_for(method))
        if segments is None:
            segments = tuple(path.split("/")[1:])
        params: dict[str, str] = {}
        for index, capture in binding.captures:
            if isinstance(capture, str):
                params[capture] = segments[index]
            else:
                found = capture.fullmatch(segments[index])
                if found:
                    params.update(found.groupdict())
        return RouteMatch(binding.route, params, binding.route.operation_for(method))


def _walk(node: _Node, segments: tuple[str, ...], index: int) -> _Binding | None:
    if index == len(segments):
        return node.route or node.tail
    segment = segments[index]
    child = node.literal.get(segment)
    if child is not None and (found := _walk(child, segments, index + 1)):
        return found
    for pattern, child in node.patterns:
        if pattern.fullmatch(segment) and (found := _walk(child, segments, index + 1)):
            return found
    if node.param is not None and segment and (found := _walk(node.param, segments, index + 1)):
        return found
    return node.tail


def _segment_pattern(segment: str, *, case_sensitive: bool) -> re.Pattern[str]:
    """`{id}.{format}` becomes an anchored pattern with one named group per parameter."""
    parts: list[str] = []
    position = 0
    for match in _PARAM.finditer(segment):
        parts.append(re.escape(segment[position : match.start()]))
        name = re.sub(r"\W", "_", match.group(1))
        parts.append(f"(?P<{name}>[^/]+?)")
        position = match.end()
    parts.append(re.escape(segment[position:]))
    return re.compile("".join(parts), 0 if case_sensitive else re.IGNORECASE)
