"""A response head in HTTP/1.1 bytes, with the framing the connection owns."""

from __future__ import annotations

from http import HTTPStatus

from bastion.core.pipeline import ResponseHead
from bastion.core.problem import CONTENT_TYPE, problem_body
from bastion.core.request_id import new_request_id

REASONS = {s.value: s.phrase.encode() for s in HTTPStatus}
# Framing is the connection's to state: never copied from a head the response phase built.
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})


def encode_head(
    head: ResponseHead, http_version: str, *, length: int | None, keep: bool, bodyless: bool = False
) -> bytes:
    """`length` None: the body is streamed (chunked for HTTP/1.1 clients, until close for 1.0)."""
    status = head.status
    out = [b"HTTP/1.1 %d %b\r\n" % (status, REASONS.get(status, b"Unknown"))]
    for name, value in head.headers:
        if name in _FRAMING:
            continue
        out += [name.encode("latin-1"), b": ", value.encode("latin-1"), b"\r\n"]
    if length is not None:
        out.append(b"content-length: %d\r\n" % length)
    elif not bodyless and http_version != "1.0":
        out.append(b"transfer-encoding: chunked\r\n")
    if not keep:
        out.append(b"connection: close\r\n")
    elif http_version == "1.0":
        out.append(b"connection: keep-alive\r\n")
    out.append(b"\r\n")
    return b"".join(out)


def bare_problem(status: int) -> bytes:
    """A whole problem+json response without the response phase: the last resort when making the
    proper answer failed."""
    request_id = new_request_id()
    body = problem_body(status, request_id)
    return (
        b"HTTP/1.1 %d %b\r\ncontent-type: %b\r\ncontent-length: %d\r\nx-request-id: %b\r\n"
        b"x-content-type-options: nosniff\r\nconnection: close\r\n\r\n%b"
        % (status, REASONS.get(status, b"Error"), CONTENT_TYPE.encode(), len(body), request_id.encode(), body)
    )
