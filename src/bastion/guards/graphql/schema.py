"""The schema a GraphQL guard reads types from: an SDL file, or one introspection at start-up."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from bastion.config.graphql import GraphQLSchemaConfig
from bastion.errors import StartupError
from graphql import GraphQLError, GraphQLSchema, build_client_schema, build_schema, get_introspection_query

_MAX_INTROSPECTION = 16 * 1024 * 1024


def load_schema(config: GraphQLSchemaConfig, endpoint: str | None) -> GraphQLSchema:
    if config.sdl is not None:
        try:
            text = config.sdl.read_text(encoding="utf-8")
        except OSError as exc:
            raise StartupError(f"graphql.schema.sdl: cannot read {config.sdl}: {exc.strerror or exc}") from None
        try:
            return build_schema(text)
        except (GraphQLError, TypeError) as exc:
            raise StartupError(f"graphql.schema.sdl: {config.sdl}: {exc}") from None
    url = config.url or endpoint
    if url is None:
        raise StartupError("graphql.schema.introspect: no upstream to ask; set graphql.schema.url or sdl")
    return introspect(url, config.timeout)


def introspect(url: str, timeout: float) -> GraphQLSchema:
    """Blocking on purpose: it runs once while the engine is built, before any traffic."""
    body = json.dumps({"query": get_introspection_query(descriptions=False)}).encode()
    if not url.startswith(("http://", "https://")):
        raise StartupError(f"graphql.schema.url: {url!r} is not an http(s) URL")
    headers = {"content-type": "application/json", "accept": "application/json"}
    request = urllib.request.Request(url, body, headers)  # noqa: S310 - http(s) only, checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            data = json.loads(response.read(_MAX_INTROSPECTION))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise StartupError(f"graphql.schema.introspect: asking {url} for its schema failed: {exc}") from None
    result = data.get("data") if isinstance(data, dict) else None
    if not isinstance(result, dict) or "__schema" not in result:
        raise StartupError(f"graphql.schema.introspect: {url} did not answer the introspection query")
    try:
        return build_client_schema(result)  # type: ignore[arg-type]
    except (GraphQLError, TypeError, KeyError) as exc:
        raise StartupError(f"graphql.schema.introspect: {url}: unusable schema: {exc}") from None
