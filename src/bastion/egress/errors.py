"""Hide upstream failures: a 5xx body (stack trace, SQL error, framework page) never reaches the client.

Checklist item: "no oversharing". The client gets a generic problem+json with the request id; an
excerpt of the original body is kept in Bastion's log under the same id for the API's developers,
bounded (`max_logged_error`) and masked by the same masker as responses: the log is no place for the
password hash or card number the client was spared.
"""

from __future__ import annotations

from bastion.config.responses import ResponsesConfig
from bastion.core.context import Context
from bastion.core.pipeline import ResponseHead
from bastion.core.problem import CONTENT_TYPE, problem_body
from bastion.core.request import Request
from bastion.egress.sensitive import log_masker


class ErrorSanitizer:
    def __init__(self, config: ResponsesConfig) -> None:
        self._capture = config.max_logged_error
        masker = log_masker(config.sensitive)
        self._describe = lambda body: masker.excerpt(body, self._capture)

    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None:
        if head.status < 500 or head.local or head.replace_body is not None:
            return
        head.replace_body = problem_body(head.status, ctx.request_id)
        head.capture_original = self._capture
        head.describe_hidden = self._describe
        head.transforms = []
        head.stream = None
        head.headers = [
            (k, v) for k, v in head.headers if k not in ("content-type", "content-length", "content-encoding", "etag")
        ]
        head.headers.append(("content-type", CONTENT_TYPE))
