"""A response head in HTTP/1.1 bytes, with the framing the connection owns."""

from __future__ import annotations

from http import HTTPStatus

from bastion.core.pipeline import ResponseHead

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
