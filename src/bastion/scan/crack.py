"""Cracking an HMAC-signed JWT offline, within a time bound: no request is sent.

After the word list (common secrets, the API's own name), whole key spaces are tried in the order
people pick short secrets: every number of 1 to 6 digits (leading zeros too), every lowercase word of 1
to 4 letters, then 7-digit numbers, 5-letter words and 8-digit numbers for as long as the bound allows.
The spaces are cut into chunks and spread over worker processes (one per core, spawned: nothing of the
scan's state is shared with them); the first chunk that finds the key wins and the rest are cancelled.

Pure Python does a few hundred thousand HMACs a second per core, so the 10-second default covers the
6-digit and 4-letter spaces with room to spare and the larger ones only in part: the result says how
far it got, and the check reports it.
"""

from __future__ import annotations

import hmac
import os
import string
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

from bastion.core.clock import SYSTEM_CLOCK, Clock

HASHES = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
CHUNK = 150_000
MAX_WORKERS = 4
_LOWER = string.ascii_lowercase
# (space, width) in the order tried
SPACES: tuple[tuple[str, int], ...] = (
    *(("digits", w) for w in range(1, 7)),
    *(("lower", w) for w in range(1, 5)),
    ("digits", 7),
    ("lower", 5),
    ("digits", 8),
)


@dataclass
class Cracked:
    secret: str | None
    tried: int
    covered: list[str]  # the spaces tried in full, e.g. "numbers of 1-6 digits"
    seconds: float


def space_size(space: str, width: int) -> int:
    return int(10**width if space == "digits" else 26**width)


def describe(space: str, width: int) -> str:
    return f"{width}-digit numbers" if space == "digits" else f"{width}-letter lowercase words"


def key_at(space: str, width: int, index: int) -> str:
    if space == "digits":
        return f"{index:0{width}d}"
    letters = []
    for _ in range(width):
        index, rest = divmod(index, 26)
        letters.append(_LOWER[rest])
    return "".join(reversed(letters))


Chunk = tuple[str, int, int, int]  # space, width, first index, end index


def try_chunk(job: Job, chunk: Chunk) -> str | None:
    """The key in [start, end) of a space that signs the job's input as its signature, if any."""
    space, width, start, end = chunk
    mac, compare = hmac.digest, hmac.compare_digest
    for index in range(start, end):
        key = key_at(space, width, index)
        if compare(mac(key.encode(), job.signing_input, job.digest), job.signature):
            return key
    return None


def chunks() -> Iterator[Chunk]:
    for space, width in SPACES:
        size = space_size(space, width)
        for start in range(0, size, CHUNK):
            yield space, width, start, min(size, start + CHUNK)


@dataclass(frozen=True)
class Job:
    signing_input: bytes
    signature: bytes
    digest: str  # hashlib name


def crack_spaces(
    signing_input: bytes, signature: bytes, alg: str, budget: float = 10.0, clock: Clock = SYSTEM_CLOCK
) -> Cracked:
    """Try the key spaces for at most `budget` seconds on every core."""
    digest = HASHES.get(alg)
    if digest is None or budget <= 0:
        return Cracked(None, 0, [], 0.0)
    search = _Search(Job(signing_input, signature, digest), clock.monotonic() + budget, clock)
    started = clock.monotonic()
    try:
        search.in_workers()
    except (BrokenProcessPool, RuntimeError, OSError):
        search.here()  # no worker processes (a sandbox, no semaphores): this process does it
    covered = [describe(s, w) for (s, w), n in search.per_space.items() if n >= space_size(s, w)]
    return Cracked(search.found, search.tried, covered, clock.monotonic() - started)


class _Search:
    """One secret being searched for: the chunks still to try, what was tried, what was found."""

    def __init__(self, job: Job, deadline: float, clock: Clock) -> None:
        self.job = job
        self.deadline = deadline
        self.clock = clock
        self.todo = chunks()
        self.found: str | None = None
        self.tried = 0
        self.per_space: dict[tuple[str, int], int] = {}
        self.unfinished: list[Chunk] = []  # handed to workers that failed: tried again here

    def _add(self, chunk: Chunk, result: str | None) -> None:
        space, width, start, end = chunk
        self.tried += end - start
        self.per_space[(space, width)] = self.per_space.get((space, width), 0) + end - start
        if result is not None:
            self.found = result

    def _open(self) -> bool:
        return self.found is None and self.clock.monotonic() < self.deadline

    def here(self) -> None:
        for chunk in [*self.unfinished, *self.todo]:
            if not self._open():
                break
            self._add(chunk, try_chunk(self.job, chunk))

    def in_workers(self) -> None:
        workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
        running: dict[Future[str | None], Chunk] = {}
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        try:
            with _main_script_hidden():
                while self._open():
                    while len(running) < workers * 2 and (chunk := next(self.todo, None)) is not None:
                        running[pool.submit(try_chunk, self.job, chunk)] = chunk
                    if not running:
                        return
                    left = max(0.0, self.deadline - self.clock.monotonic())
                    finished, _ = wait(running, timeout=left, return_when=FIRST_COMPLETED)
                    for future in finished:
                        chunk = running.pop(future)
                        try:
                            self._add(chunk, future.result())
                        except BaseException:
                            self.unfinished.append(chunk)
                            raise
        finally:
            for future, chunk in running.items():
                future.cancel()
                self.unfinished.append(chunk)
            pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Spawned workers run the parent's main script again unless it is hidden from them. The worker
    function lives here and needs nothing from it, and a scan started from a plain script without a
    `__main__` guard would otherwise start one more scan in every worker."""
    main = sys.modules.get("__main__")
    saved: dict[str, Any] = {n: main.__dict__[n] for n in ("__file__", "__spec__") if main and n in main.__dict__}
    try:
        if main is not None:
            main.__dict__.pop("__file__", None)
            main.__dict__["__spec__"] = None
        yield
    finally:
        if main is not None:
            main.__dict__.pop("__spec__", None)
            main.__dict__.update(saved)


def summary(covered: list[str]) -> str:
    """`numbers of 1-6 digits and lowercase words of 1-4 letters` from the spaces tried in full."""
    digits = sorted(int(c.split("-")[0]) for c in covered if "digit" in c)
    letters = sorted(int(c.split("-")[0]) for c in covered if "letter" in c)
    parts = []
    if digits:
        parts.append(
            f"every number of {digits[0]}-{digits[-1]} digits" if len(digits) > 1 else f"every {digits[0]}-digit number"
        )
    if letters:
        parts.append(
            f"every lowercase word of {letters[0]}-{letters[-1]} letters"
            if len(letters) > 1
            else f"every {letters[0]}-letter lowercase word"
        )
    return " and ".join(parts) or "no whole key space"
