"""Build the router from the policy: the OpenAPI description's operations, or the `routes` list."""

from __future__ import annotations

from collections import defaultdict

from bastion.config.model import BastionConfig
from bastion.config.routes import RouteConfig
from bastion.core.routing import Operation, Router, RouteSpec
from bastion.openapi.document import OpenAPIDocument


def operation_name(method: str, template: str) -> str:
    return f"{method} {template}"


def router_from_document(document: OpenAPIDocument) -> Router:
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
    return Router(RouteSpec(t, tuple(ops)) for t, ops in by_template.items())


def router_from_routes(routes: list[RouteConfig]) -> Router:
    specs = []
    for route in routes:
        ops = tuple(
            Operation(
                id=route.operation or operation_name(m, route.path),
                method=m,
                template=route.path,
                tags=frozenset(route.tags),
            )
            for m in route.methods
        )
        specs.append(RouteSpec(route.path, ops))
    return Router(specs)


def build_router(config: BastionConfig, document: OpenAPIDocument | None) -> Router:
    if document is not None:
        return router_from_document(document)
    return router_from_routes(config.routes or [])
