"""A GraphQL request as its transports carry it: POST JSON (one call or a batch), POST
application/graphql, or GET with the document in the query string."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson

from bastion.core.request import BodyError, Request


class CallError(Exception):
    """The request is not a GraphQL call this endpoint can take; `status` says why (400, 405, 415)."""

    def __init__(self, status: int, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.rule = rule
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Call:
    query: str | None
    operation_name: str | None
    variables: dict[str, Any] = field(default_factory=dict)
    persisted_hash: str | None = None  # extensions.persistedQuery.sha256Hash (APQ / persisted queries)


def read_calls(request: Request, max_operations: int) -> tuple[list[Call], bool]:
    """The calls of one request, and whether it came as a GET (mutations over GET invite CSRF)."""
    if request.method == "GET":
        params = dict(parse_qsl(request.query, keep_blank_values=True))
        return [_call(params, "query string", json_fields=True)], True
    if request.method != "POST":
        raise CallError(405, "graphql.method", f"GraphQL is GET or POST, not {request.method}")
    content_type = request.content_type
    if content_type == "application/graphql":
        params = dict(parse_qsl(request.query, keep_blank_values=True))
        return [Call(request.text(), params.get("operationName") or None)], False
    if not request.is_json:
        raise CallError(
            415, "graphql.content_type", f"GraphQL over POST is JSON or application/graphql, not {content_type!r}"
        )
    try:
        body = request.json()
    except BodyError as exc:
        raise CallError(400, "graphql.json", f"body is not valid JSON: {exc}") from None
    if isinstance(body, list):
        if not body:
            raise CallError(400, "graphql.batch", "an empty batch")
        if len(body) > max_operations:
            raise CallError(400, "graphql.batch", f"{len(body)} operations in one batch, more than {max_operations}")
        return [_call(item, f"batch item {index}") for index, item in enumerate(body)], False
    return [_call(body, "body")], False


def message_call(payload: Any) -> Call:
    """The operation a WebSocket message carries in its payload ({query, operationName, variables,
    extensions}, as in a POST body)."""
    return _call(payload, "message payload")


def _call(data: Any, where: str, *, json_fields: bool = False) -> Call:
    if not isinstance(data, dict):
        raise CallError(400, "graphql.request", f"{where} is not a JSON object")
    query = data.get("query")
    if query is not None and not isinstance(query, str):
        raise CallError(400, "graphql.request", f"{where}: query is not a string")
    name = data.get("operationName")
    if name is not None and not isinstance(name, str):
        raise CallError(400, "graphql.request", f"{where}: operationName is not a string")
    variables = _object(data.get("variables"), where, "variables", json_fields)
    extensions = _object(data.get("extensions"), where, "extensions", json_fields)
    persisted = extensions.get("persistedQuery")
    sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if sha is not None and not isinstance(sha, str):
        raise CallError(400, "graphql.request", f"{where}: persistedQuery.sha256Hash is not a string")
    if query is None and sha is None:
        raise CallError(400, "graphql.request", f"{where} has no query")
    return Call(query, name or None, variables, sha.lower() if sha else None)


def _object(value: Any, where: str, name: str, json_text: bool) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if json_text and isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise CallError(400, "graphql.request", f"{where}: {name} is not valid JSON") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CallError(400, "graphql.request", f"{where}: {name} is not an object")
    return value
