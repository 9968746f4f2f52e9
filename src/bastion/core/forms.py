"""Form and multipart bodies as (name, filename, value) fields, bounded in number and size.

Multipart parsing is python-multipart's (the parser Starlette uses), driven over the buffered body;
URL-encoded forms use the standard library. Both stop at the configured number of fields, so a body
of a million tiny fields costs no more than the limit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    value: str  # text value, or the start of a file's content
    filename: str | None = None
    content_type: str | None = None
    transfer_encoding: str | None = None  # a part's Content-Transfer-Encoding (base64, quoted-printable)
    truncated: bool = False  # the part is longer than what was kept of it


class FormError(ValueError):
    def __init__(self, message: str, *, too_many: bool = False) -> None:
        super().__init__(message)
        self.too_many = too_many  # the body has more fields than the limit it was parsed with


_MAX_VALUE_KEPT = 64 * 1024  # what inspection sees of one field: the head of a large file is enough
# python-multipart logs every malformed body at WARNING: attacker-controlled noise; we report ourselves.
logging.getLogger("python_multipart").setLevel(logging.ERROR)
logging.getLogger("python_multipart.multipart").setLevel(logging.ERROR)


def parse_urlencoded(body: bytes, max_fields: int) -> list[FormField]:
    try:
        pairs = parse_qsl(
            body.decode("utf-8", "surrogateescape"),
            keep_blank_values=True,
            max_num_fields=max_fields,
            errors="surrogateescape",
        )
    except ValueError as exc:
        raise FormError(str(exc), too_many="number of fields" in str(exc)) from None
    return [FormField(name, value) for name, value in pairs]


def parse_multipart(body: bytes, content_type: str, max_fields: int) -> list[FormField]:
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise FormError("multipart body without a boundary")
    fields: list[FormField] = []
    state: dict[str, object] = {}
    header_name = bytearray()
    header_value = bytearray()
    headers: dict[bytes, bytes] = {}
    data = bytearray()
    seen = [0]  # bytes of the current part, kept or not

    def on_part_begin() -> None:
        headers.clear()
        data.clear()
        seen[0] = 0

    def on_header_field(chunk: bytes, start: int, end: int) -> None:
        header_name.extend(chunk[start:end])

    def on_header_value(chunk: bytes, start: int, end: int) -> None:
        header_value.extend(chunk[start:end])

    def on_header_end() -> None:
        headers[bytes(header_name).lower()] = bytes(header_value)
        header_name.clear()
        header_value.clear()

    def on_part_data(chunk: bytes, start: int, end: int) -> None:
        seen[0] += end - start
        room = _MAX_VALUE_KEPT - len(data)
        if room > 0:
            data.extend(chunk[start : min(end, start + room)])

    def on_part_end() -> None:
        if len(fields) >= max_fields:
            state["too_many"] = True
            return
        _, options = parse_options_header(headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "surrogateescape")
        filename = options.get(b"filename")
        media = headers.get(b"content-type")
        encoding = headers.get(b"content-transfer-encoding")
        fields.append(
            FormField(
                name,
                bytes(data).decode("utf-8", "surrogateescape"),
                filename.decode("utf-8", "surrogateescape") if filename is not None else None,
                media.decode("latin-1") if media else None,
                encoding.decode("latin-1").strip().lower() if encoding else None,
                seen[0] > len(data),
            )
        )

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
        max_header_count=16,
    )
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise FormError(f"malformed multipart body: {exc}") from None
    if state.get("too_many"):
        raise FormError(f"more than {max_fields} fields", too_many=True)
    return fields
