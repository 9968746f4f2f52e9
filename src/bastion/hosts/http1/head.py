"""Checks on a request head that llhttp leaves to its user: the request line as written, framing
headers, and which protocol an upgrade asks for."""

from __future__ import annotations

from bastion.hosts.http1.errors import BodyRefused
from bastion.hosts.http1.incoming import Incoming


class HeadLimit(Exception):
    """The head cannot be served: answered with `status` and the connection closes."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def check_request_line(window: bytes, scan_from: int, method: bytes, url: bytes, version: str) -> int:
    """The request line must be exactly `METHOD SP target SP HTTP/x.y` at the start of a line
    (llhttp accepts `GET  /x  HTTP/1.1`, which another parser may read otherwise); returns where
    the line ends in `window`."""
    line = b"%b %b HTTP/%b" % (method, url, version.encode())
    at = window.find(line, scan_from)
    end = at + len(line)
    if at < 0 or (at > 0 and window[at - 1] != 10) or (end < len(window) and window[end] not in (13, 10)):
        raise HeadLimit(400, "malformed request line")
    return end


def check_fields(incoming: Incoming, version: str, max_body: int) -> None:
    """Body framing: a declared length past the limit is refused when the body is read (413);
    Transfer-Encoding that cannot be trusted refuses the request and closes the stream."""
    for name, value in incoming.headers:
        lower = name.lower()
        if lower == b"content-length":
            if int(value) > max_body:
                incoming.error = BodyRefused(413, "declared body exceeds the limit")
        elif lower == b"expect" and value.lower() == b"100-continue":
            incoming.expect_continue = True
        elif lower == b"transfer-encoding":
            # RFC 9112 §6.1: framing an HTTP/1.0 recipient cannot know, or a body whose last coding
            # is not chunked, has no reliable length (400); a coding before chunked is one this
            # gateway does not apply (501). Either way the stream cannot be trusted past this
            # message: refuse and close.
            codings = [coding.strip().lower() for coding in value.split(b",")]
            if version == "1.0":
                raise HeadLimit(400, "Transfer-Encoding in an HTTP/1.0 request")
            if codings[-1] != b"chunked":
                raise HeadLimit(400, "Transfer-Encoding does not end with chunked")
            if len(codings) > 1:
                raise HeadLimit(501, "only Transfer-Encoding: chunked is supported")


def upgrade_protocol(incoming: Incoming) -> str | None:
    """The one protocol an upgrade request names (`websocket`, `h2c`), lower-cased; None when it
    names several, a version, or none: such a request is not one any handler takes."""
    tokens = [
        token.strip().lower()
        for name, value in incoming.headers
        if name.lower() == b"upgrade"
        for token in value.split(b",")
        if token.strip()
    ]
    if len(tokens) != 1 or b"/" in tokens[0]:
        return None
    return tokens[0].decode("latin-1")
