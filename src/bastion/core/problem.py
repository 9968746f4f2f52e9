"""RFC 9457 problem details: the only shape in which Bastion ever refuses a request."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from bastion.core import jsontext
from bastion.core.verdict import Verdict

PROBLEM_TYPE_BASE = "urn:bastion:problem:"
CONTENT_TYPE = "application/problem+json"

_SLUGS = {
    400: "malformed-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    408: "request-timeout",
    409: "conflict",
    413: "content-too-large",
    414: "uri-too-long",
    415: "unsupported-media-type",
    422: "invalid-request",
    429: "rate-limited",
    431: "headers-too-large",
    500: "internal-error",
    501: "not-implemented",
    502: "bad-gateway",
    503: "unavailable",
    504: "gateway-timeout",
}


def status_title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(
    status: int,
    request_id: str,
    *,
    title: str | None = None,
    detail: str | None = None,
    extra: dict[str, Any] | None = None,
) -> bytes:
    doc: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + _SLUGS.get(status, str(status)),
        "title": title or status_title(status),
        "status": status,
    }
    if detail:
        doc["detail"] = detail
    doc["request_id"] = request_id
    if extra:
        for key, value in extra.items():
            if key == "type" and str(value).startswith(PROBLEM_TYPE_BASE):
                doc["type"] = value  # a more precise type of Bastion's own, e.g. banned
            else:
                doc.setdefault(key, value)
    return jsontext.dumps(doc)  # a detail may quote what the client sent, bytes that were not UTF-8 included


def verdict_body(verdict: Verdict, request_id: str) -> bytes:
    return problem_body(
        verdict.status,
        request_id,
        title=verdict.title,
        detail=verdict.detail,
        extra=dict(verdict.extra) if verdict.extra else None,
    )
