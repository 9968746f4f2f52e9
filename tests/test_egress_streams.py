"""The streaming filters give the same answer however the body is cut into chunks, within bounds.

A stream is the fast path (bounded memory, nothing waits for the whole body); the same masker run
over each complete line or event of the whole body is the slow path it must agree with.
"""

from __future__ import annotations

import codecs
import gzip

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.config.responses import SensitiveDataConfig
from bastion.core.pipeline import BodyStream, StreamCut
from bastion.egress.cleaner import BodyCleaner, Report
from bastion.egress.sensitive import SensitiveData, log_masker
from bastion.egress.sniff import as_utf8, bom_charset, decode_content, is_binary, media_and_charset
from bastion.egress.streams import BinaryScan, EventStream, HeldBody, LineStream, Transcoded
from bastion.openapi.spec import NOTHING_DECLARED

SSN = "078-05-1120"
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
MASKER = SensitiveData(SensitiveDataConfig())
CLEANER = BodyCleaner(MASKER, debug=True)

NDJSON = b"".join(
    [
        b'{"id": 1, "ssn": "078-05-1120", "note": "ok"}\n',
        b'{"id": 2, "aws": "' + AWS.encode() + b'"}\n',
        b"\n",
        b'{"id": 3, "password_hash": "x", "card": "4111 1111 1111 1111"}\r\n',
        b"plain text ssn 078-05-1120\n",
        b'{"id": 4}',
    ]
)
SSE = (
    b"event: a\r\ndata: " + orjson.dumps({"ssn": SSN}) + b"\r\n\r\n"
    b": comment with card 4111-1111-1111-1111\ndata: x\n\n"
    b"data: Traceback (most recent call last):\ndata: more\n\n"
    b"id: 7\ndata: key " + AWS.encode() + b"\n\n"
    b"retry: 100\ndata: last\n\n"
)


def clean(piece: bytes) -> bytes | None:
    return CLEANER.clean(piece, None, Report())


def run(stream: BodyStream, chunks: list[bytes]) -> bytes:
    return b"".join(stream.feed(chunk) for chunk in chunks) + stream.close()


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(max(c, 0), len(data)) for c in cuts})
    pieces, start = [], 0
    for point in [*points, len(data)]:
        pieces.append(data[start:point])
        start = point
    return pieces


def test_lines_are_cleaned_one_by_one() -> None:
    out = run(LineStream(clean, 1024), [NDJSON])
    lines = out.split(b"\n")
    assert orjson.loads(lines[0]) == {"id": 1, "ssn": "***", "note": "ok"}
    assert lines[1] == b""  # the blank line stays; the line with the AWS key is gone
    assert orjson.loads(lines[2].rstrip(b"\r")) == {"id": 3, "password_hash": "***", "card": "***"}
    assert lines[2].endswith(b"\r")
    assert lines[3] == b"plain text ssn ***"
    assert lines[4] == b'{"id": 4}'
    assert AWS.encode() not in out


def test_events_are_cleaned_and_dropped_whole() -> None:
    out = run(EventStream(clean, 1024), [SSE])
    assert out == (b'event: a\ndata: {"ssn":"***"}\n\n: comment with card ***\ndata: x\n\nretry: 100\ndata: last\n\n')


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, len(NDJSON)), max_size=12))
def test_line_stream_does_not_depend_on_chunking(cuts: list[int]) -> None:
    assert run(LineStream(clean, 1024), split(NDJSON, cuts)) == run(LineStream(clean, 1024), [NDJSON])


def quiet(lines: bytes) -> bool:
    return not MASKER.candidates(lines)


CLEAN_LINES = b"".join(orjson.dumps({"id": i, "city": "Oslo"}) + b"\n" for i in range(40))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, len(NDJSON) + len(CLEAN_LINES)), max_size=12),
    st.sampled_from([CLEAN_LINES + NDJSON, NDJSON + CLEAN_LINES, CLEAN_LINES]),
)
def test_the_quiet_prefilter_agrees_with_cleaning_each_line(cuts: list[int], body: bytes) -> None:
    slow = run(LineStream(clean, 1024), [body])
    assert run(LineStream(clean, 1024, quiet=quiet), split(body, cuts)) == slow


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, len(SSE)), max_size=12))
def test_event_stream_does_not_depend_on_chunking(cuts: list[int]) -> None:
    assert run(EventStream(clean, 1024), split(SSE, cuts)) == run(EventStream(clean, 1024), [SSE])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 400), max_size=10))
def test_transcoding_does_not_depend_on_chunking(cuts: list[int]) -> None:
    data = codecs.BOM_UTF16_LE + NDJSON.decode().encode("utf-16-le")
    whole = run(Transcoded(LineStream(clean, 1024), "utf-16-le"), [data])
    assert whole == run(LineStream(clean, 1024), [NDJSON])
    assert run(Transcoded(LineStream(clean, 1024), "utf-16-le"), split(data, cuts)) == whole


def test_bounds_cut_what_cannot_be_inspected() -> None:
    with pytest.raises(StreamCut):
        run(LineStream(clean, 64), [b"x" * 40, b"y" * 40])  # a line never ends within the bound
    with pytest.raises(StreamCut):
        run(EventStream(clean, 64), [b"data: " + b"x" * 100])
    with pytest.raises(StreamCut):
        run(Transcoded(LineStream(clean, 64), "utf-16-le"), [b"\x00\xd8\x41\x00"])  # a lone surrogate


def test_over_long_lines_of_plain_text_are_scanned_not_cut() -> None:
    stream = LineStream(clean, 64, MASKER.find_in_binary)
    out = run(stream, [b"a" * 50, b"b" * 50, b"c" * 50 + b"\nssn " + SSN.encode() + b"\n"])
    assert out == b"a" * 50 + b"b" * 50 + b"c" * 50 + b"\nssn ***\n"
    split_key = [b"x" * 70 + b" " + AWS[:10].encode(), AWS[10:].encode() + b"\n"]
    with pytest.raises(StreamCut):  # a value split across two chunks of an over-long line is still seen
        run(LineStream(clean, 64, MASKER.find_in_binary), split_key)


def test_binary_scan_sees_across_chunks() -> None:
    with pytest.raises(StreamCut):
        run(BinaryScan(MASKER.find_in_binary), [b"\x89PNG" + b"\x00" * 100 + AWS[:7].encode(), AWS[7:].encode()])
    assert run(BinaryScan(MASKER.find_in_binary), [b"\x89PNG", b"\x00" * 100]) == b"\x89PNG" + b"\x00" * 100


def test_held_body_is_whole_until_the_limit_then_streams() -> None:
    whole = HeldBody(lambda body: body.upper(), 100, lambda held: None)
    assert whole.feed(b"abc") == b""
    assert whole.close() == b"ABC"
    cut = HeldBody(lambda body: body, 4, lambda held: None)
    with pytest.raises(StreamCut):
        cut.feed(b"hello")
    streamed = HeldBody(lambda body: body, 4, lambda held: LineStream(clean, 1024))
    assert streamed.feed(b"ssn " + SSN.encode() + b"\nrest") == b"ssn ***\n"
    assert streamed.close() == b"rest"


def test_nothing_declared_strips_every_property_at_any_depth() -> None:
    body = orjson.dumps([{"a": 1, "b": {"c": 2}}, [{"d": 3}], "text", 4])
    assert orjson.loads(CLEANER.clean(body, NOTHING_DECLARED, Report()) or b"") == [{}, [{}], "text", 4]


def test_sniffing() -> None:
    assert media_and_charset('Application/JSON; Charset="UTF-16"') == ("application/json", "utf-16")
    assert bom_charset('{"a":1}'.encode("utf-16-be")) == "utf-16-be"
    assert bom_charset(b"\x01\x00\x02\x00") is None  # NULs that do not read as JSON: binary, not text
    assert as_utf8("é".encode("latin-1"), "iso-8859-1") == ("é".encode(), True)
    assert as_utf8(b"\xff not utf-8", None) == (b"\xff not utf-8", False)  # kept byte for byte
    assert is_binary(b"%PDF-1.7")
    assert is_binary(b"\x00\x00\x00\x18ftypmp42")
    assert not is_binary(b"{}")

    assert decode_content(gzip.compress(b"x" * 10), "gzip", 100) == b"x" * 10
    with pytest.raises(ValueError, match="larger"):
        decode_content(gzip.compress(b"x" * 10_000), "gzip", 100)  # a compression bomb stops at the limit


def test_log_excerpt_is_masked_and_bounded() -> None:
    masker = log_masker(SensitiveDataConfig(card_numbers="off", cloud_keys="off", field_action="off"))
    body = f"password_hash: abc\nssn={SSN} key {AWS} card 4111111111111111 {'x' * 5000}".encode()
    excerpt = masker.excerpt(body, 200)
    for secret in (SSN, AWS, "4111111111111111", "abc"):
        assert secret not in excerpt
    assert excerpt.endswith(f" (+{len(body) - 200} bytes)")
    assert len(excerpt) < 260
