"""Response bodies filtered as they stream, in bounded memory (core.pipeline.BodyStream).

- `LineStream`: NDJSON, JSON Lines and text by lines. Each complete line is cleaned and sent at
  once; only an unfinished line waits, up to `max_part` bytes (beyond, see the class).
- `EventStream`: server-sent events. An event ends at a blank line; each of its lines (`data:`,
  `event:`, `id:`, comments) is cleaned, and an event with anything withheld is dropped whole, so a
  client never sees half an event.
- `BinaryScan`: a binary body passes as it comes, scanned (across chunk boundaries) for sensitive
  values, which cannot be masked in a binary file; one found cuts the stream.
- `Transcoded`: a body in another charset (UTF-16, Latin-1...) decoded incrementally into UTF-8
  before any of the above.
- `HeldBody`: holds the body and cleans it whole at the end, like a buffered response; past the
  size limit it hands over to a streaming filter (or cuts, when the body had to be filtered whole).

An event longer than `max_part`, a line of a declared stream longer than it, or bytes that are
not in the declared charset, cut the stream (StreamCut): what cannot be inspected does not leave.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from bastion.core.pipeline import BodyStream, StreamCut

Clean = Callable[[bytes], "bytes | None"]  # a piece as it may leave, or None: withhold it
_OVERLAP = 512  # bytes kept between chunks so a credential split across two is still seen


class LineStream:
    """Lines cleaned one by one. A line longer than `max_part` cannot be cleaned: without `scan` the
    stream is cut; with it (text that need not be filtered whole), the line is passed on as it
    comes, like a binary body, scanned for sensitive values across chunks, and cut on one found."""

    __slots__ = ("_clean", "_max", "_passing", "_pending", "_quiet", "_scan", "_tail")

    def __init__(
        self,
        clean: Clean,
        max_part: int,
        scan: Callable[[bytes], list[str]] | None = None,
        quiet: Callable[[bytes], bool] | None = None,
    ) -> None:
        self._clean = clean
        self._max = max_part
        self._scan = scan
        # A prefilter over all the complete lines at once: True only when no line can need cleaning
        # (no pattern matches anywhere in them, and no schema to apply); they then leave as they are.
        # It can only say "maybe" wrongly (a match across two lines), never "quiet" wrongly.
        self._quiet = quiet
        self._pending = bytearray()
        self._passing = False  # inside an over-long line that is being passed on, scanned
        self._tail = b""

    def feed(self, chunk: bytes) -> bytes:  # noqa: PLR0911  hot path: per chunk, line-scanning state machine
        if self._passing:
            end = chunk.find(b"\n")
            part = chunk if end < 0 else chunk[: end + 1]
            self._check(part)
            if end < 0:
                return part
            self._passing, self._tail = False, b""
            return part + self.feed(chunk[end + 1 :])
        pending = self._pending
        start = len(pending)
        pending += chunk
        end = pending.rfind(b"\n", start)  # only the new bytes can end a line
        if end < 0:
            if len(pending) > self._max:
                return self._pass_long(bytes(pending))
            return b""
        complete = bytes(pending[:end])
        del pending[: end + 1]
        if self._quiet is not None and len(complete) <= self._max and self._quiet(complete):
            done = complete + b"\n"
            return done + self._pass_long(bytes(pending)) if len(pending) > self._max else done
        out = []
        for line in complete.split(b"\n"):
            if len(line) > self._max:
                self._check(line)
                self._tail = b""
                out.append(line)
                continue
            cleaned = self._line(line)
            if cleaned is not None:
                out.append(cleaned)
        done = b"\n".join(out) + b"\n" if out else b""
        if len(pending) > self._max:
            return done + self._pass_long(bytes(pending))
        return done

    def close(self) -> bytes:
        last = bytes(self._pending)
        self._pending.clear()
        if self._passing or not last:
            return b""
        return self._line(last) or b""

    def _pass_long(self, data: bytes) -> bytes:
        self._pending.clear()
        self._check(data)
        self._passing = True
        return data

    def _check(self, data: bytes) -> None:
        if self._scan is None:
            raise StreamCut(f"a line longer than {self._max} bytes")
        window = self._tail + data
        found = self._scan(window)
        if found:
            raise StreamCut(f"an over-long line carries {', '.join(found)}")
        self._tail = window[-_OVERLAP:]

    def _line(self, line: bytes) -> bytes | None:
        body, cr = (line[:-1], b"\r") if line.endswith(b"\r") else (line, b"")
        if not body.strip():
            return line
        cleaned = self._clean(body)
        return None if cleaned is None else cleaned + cr


class EventStream:
    __slots__ = ("_clean", "_held_cr", "_max", "_pending")

    def __init__(self, clean: Clean, max_part: int) -> None:
        self._clean = clean
        self._max = max_part
        self._pending = bytearray()
        self._held_cr = False  # a chunk ended with CR: it may be half of a CRLF

    def feed(self, chunk: bytes) -> bytes:
        if self._held_cr:
            chunk = b"\r" + chunk
            self._held_cr = False
        if chunk.endswith(b"\r"):
            chunk, self._held_cr = chunk[:-1], True
        if b"\r" in chunk:
            chunk = chunk.replace(b"\r\n", b"\n")
        pending = self._pending
        start = len(pending)
        pending += chunk
        end = pending.rfind(b"\n\n", max(0, start - 1))  # a blank line may start in the held bytes
        if end < 0:
            if len(pending) > self._max:
                raise StreamCut(f"an event longer than {self._max} bytes")
            return b""
        complete = bytes(pending[:end])
        del pending[: end + 2]
        if len(pending) > self._max:
            raise StreamCut(f"an event longer than {self._max} bytes")
        out = []
        for event in complete.split(b"\n\n"):
            if len(event) > self._max:
                raise StreamCut(f"an event longer than {self._max} bytes")
            cleaned = self._event(event.strip(b"\n"))
            if cleaned is not None:
                out.append(cleaned)
        return b"".join(out)

    def close(self) -> bytes:
        last = bytes(self._pending) + (b"\r" if self._held_cr else b"")
        self._pending.clear()
        if not last.strip():
            return b""
        return self._event(last.strip(b"\n")) or b""

    def _event(self, event: bytes) -> bytes | None:
        if not event:
            return None
        lines = []
        for line in event.split(b"\n"):
            name, colon, value = line.partition(b":")
            if not colon or name == b"retry" or not value.strip():
                lines.append(line)
                continue
            space = b" " if value.startswith(b" ") else b""
            cleaned = self._clean(value[len(space) :])
            if cleaned is None:
                return None  # one withheld field drops the whole event
            lines.append(name + b":" + space + cleaned)
        return b"\n".join(lines) + b"\n\n"


class BinaryScan:
    __slots__ = ("_find", "_tail")

    def __init__(self, find: Callable[[bytes], list[str]]) -> None:
        self._find = find
        self._tail = b""

    def feed(self, chunk: bytes) -> bytes:
        window = self._tail + chunk
        found = self._find(window)
        if found:
            raise StreamCut(f"binary body carries {', '.join(found)}")
        self._tail = window[-_OVERLAP:]
        return chunk

    def close(self) -> bytes:
        return b""


class Transcoded:
    __slots__ = ("_decoder", "_inner")

    def __init__(self, inner: BodyStream, charset: str) -> None:
        self._inner = inner
        self._decoder = codecs.getincrementaldecoder(charset)("strict")

    def feed(self, chunk: bytes) -> bytes:
        return self._inner.feed(self._decode(chunk, final=False))

    def close(self) -> bytes:
        return self._inner.feed(self._decode(b"", final=True)) + self._inner.close()

    def _decode(self, chunk: bytes, *, final: bool) -> bytes:
        try:
            text = self._decoder.decode(chunk, final)
        except UnicodeDecodeError:
            raise StreamCut("bytes that are not in the declared charset") from None
        return text.replace("\ufeff", "", 1).encode("utf-8", "surrogatepass") if text else b""


class HeldBody:
    """Buffers up to `limit` bytes and cleans the body whole at close (`whole` may change the head);
    past the limit, `overflow` (given what was held) returns the stream that takes over, or None when
    the body could only have been filtered whole: the stream is cut (502, nothing was sent)."""

    __slots__ = ("_held", "_limit", "_overflow", "_stream", "_whole")

    def __init__(
        self,
        whole: Callable[[bytes], bytes],
        limit: int,
        overflow: Callable[[bytes], BodyStream | None],
    ) -> None:
        self._whole = whole
        self._limit = limit
        self._overflow = overflow
        self._held = bytearray()
        self._stream: BodyStream | None = None

    def feed(self, chunk: bytes) -> bytes:
        if self._stream is not None:
            return self._stream.feed(chunk)
        self._held += chunk
        if len(self._held) <= self._limit:
            return b""
        held, self._held = bytes(self._held), bytearray()
        stream = self._overflow(held)
        if stream is None:
            raise StreamCut("response larger than max_inspected cannot be filtered")
        self._stream = stream
        return stream.feed(held)

    def close(self) -> bytes:
        if self._stream is not None:
            return self._stream.close()
        held, self._held = bytes(self._held), bytearray()
        return self._whole(held)
