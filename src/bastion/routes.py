"""Build the router from the policy: the OpenAPI description's operations, or the `routes` list."""

from __future__ import annotations

from collections import defaultdict

from bastion.config.model import BastionConfig
from bastion.config.routes import RouteConfig
from bastion.core.routing import Operation, RouteConflict, Router, RouteSpec
from bastion.openapi.document import OpenAPIDocument


def operation_name(method: str, template: str) -> str:
    return f"{method} {template}"


def router_from_document(document: OpenAPIDocument, *, case_sensitive: bool = False) -> Router:
    by_template: dict[str, list[Operation]] = defaultdict(list)
    for op in document.operations():
        by_template[op.template].append(
            Operation(
                id=op.operation_id or operation_name(op.method, op.template),
                method=op.method,
                template=op.template,
                tags=op.tags,
                spec=op.node,
            )
        )
    return Router((RouteSpec(t, tuple(ops)) for t, ops in by_template.items()), case_sensitive=case_sensitive)


def router_from_routes(routes: list[RouteConfig], *, case_sensitive: bool = False) -> Router:
    """Entries with the same path are one route (an operation name belongs to one method, so a path
    with named operations is listed once per method)."""
    by_path: dict[str, list[Operation]] = defaultdict(list)
    for route in routes:
        by_path[route.path].extend(
            Operation(
                id=route.operation or operation_name(m, route.path),
                method=m,
                template=route.path,
                tags=frozenset(route.tags),
            )
            for m in route.methods
        )
    for path, ops in by_path.items():
        methods = [op.method for op in ops]
        twice = sorted({m for m in methods if methods.count(m) > 1})
        if twice:
            raise RouteConflict(f"routes list {', '.join(twice)} on {path} more than once")
    return Router((RouteSpec(path, tuple(ops)) for path, ops in by_path.items()), case_sensitive=case_sensitive)


def build_router(config: BastionConfig, document: OpenAPIDocument | None) -> Router:
    case_sensitive = config.ingress.path_case == "sensitive"
    if document is not None:
        return router_from_document(document, case_sensitive=case_sensitive)
    return router_from_routes(config.routes or [], case_sensitive=case_sensitive)
