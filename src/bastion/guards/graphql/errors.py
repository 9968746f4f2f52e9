"""GraphQL errors without the map and the internals: field suggestions ("Did you mean ...?") reveal a
hidden schema, debug extensions (exception, stack trace) reveal the code, and a resolver's database
error passed on as the message reveals the query. Suggestions and extensions are removed and such a
message is replaced, in the `errors` of GraphQL responses, which keep their 200 status and their data."""

from __future__ import annotations

import re
from typing import Any

import orjson

from bastion.core.context import Context
from bastion.core.pipeline import ResponseHead
from bastion.core.request import Request
from bastion.egress.debug_pages import debug_signature

_SUGGESTION = re.compile(r"\s*Did you mean [^?\n]{1,2000}\?")
DEBUG_EXTENSIONS = frozenset({"exception", "stacktrace", "stackTrace", "traceback", "trace", "debug", "locals"})
_MAX_BODY = 4 * 1024 * 1024


class GraphQLErrorFilter:
    """A response filter for the GraphQL paths; only JSON bodies that carry errors are rewritten."""

    def __init__(self, paths: frozenset[str], *, suggestions: bool, debug: bool) -> None:
        self._paths = paths
        self._suggestions = suggestions
        self._debug = debug

    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None:
        if head.local or request.path not in self._paths:
            return
        content_type = (head.get("content-type") or "").split(";", 1)[0].strip().lower()
        if not content_type.endswith("json") or (head.length is not None and head.length > _MAX_BODY):
            return
        head.transforms.append(self._clean_body)

    def _clean_body(self, head: ResponseHead, body: bytes) -> bytes:
        if b'"errors"' not in body or len(body) > _MAX_BODY:
            return body
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return body
        results = data if isinstance(data, list) else [data]
        changed = False
        for result in results:
            errors = result.get("errors") if isinstance(result, dict) else None
            if isinstance(errors, list):
                for error in errors:
                    if isinstance(error, dict):
                        changed |= self._clean(error)
        return orjson.dumps(data) if changed else body

    def _clean(self, error: dict[str, Any]) -> bool:
        changed = False
        message = error.get("message")
        if self._suggestions and isinstance(message, str) and "Did you mean" in message:
            error["message"] = _SUGGESTION.sub("", message)
            changed = True
        if self._debug and isinstance(message, str) and debug_signature(message.encode()):
            error["message"] = "Internal server error"
            changed = True
        extensions = error.get("extensions")
        if self._debug and isinstance(extensions, dict):
            for key in DEBUG_EXTENSIONS & extensions.keys():
                del extensions[key]
                changed = True
            if not extensions:
                del error["extensions"]
        return changed
