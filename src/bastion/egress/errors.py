"""Hide upstream failures: a 5xx body (stack trace, SQL error, framework page) never reaches the client.

Checklist item: "no oversharing". The client gets a generic problem+json with the request id; the
original body is kept, bounded, in Bastion's log under the same id for the API's developers.
"""

from __future__ import annotations

from bastion.config.responses import ResponsesConfig
from bastion.core.context import Context
from bastion.core.pipeline import ResponseHead
from bastion.core.problem import CONTENT_TYPE, problem_body
from bastion.core.request import Request


class ErrorSanitizer:
    def __init__(self, config: ResponsesConfig) -> None:
        self._capture = config.max_logged_error

    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None:
        if head.status < 500 or head.local or head.replace_body is not None:
            return
        head.replace_body = problem_body(head.status, ctx.request_id)
        head.capture_original = self._capture
        head.transforms = []
        head.headers = [
            (k, v) for k, v in head.headers if k not in ("content-type", "content-length", "content-encoding", "etag")
        ]
        head.headers.append(("content-type", CONTENT_TYPE))
