"""The Hyperscan and the pure-Python backends of PatternSet find the same patterns in the same text."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from bastion import cache, hyperscan_db
from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.egress.debug_pages import SIGNATURES
from bastion.egress.sensitive import DETECTORS
from bastion.guards.waf import WAFGuard
from bastion.guards.waf.engine import _single_groups
from bastion.guards.waf.rules import load_rules
from bastion.patterns import _MEMO_ENTRIES, HYPERSCAN, Pattern, PatternSet

SAMPLES = [
    b"Traceback (most recent call last):\n  File 'x.py'",
    b"<pre>java.lang.NullPointerException\n\tat com.shop.Orders.get(Orders.java:42)</pre>",
    b"Error: boom\n    at Object.<anonymous> (/srv/app/index.js:10:5)\n",
    b"x\n   at Shop.Orders.Get(Int32 id) in C:\\src\\Orders.cs:line 42",
    b'{"error": "You have an error in your SQL syntax near \'x\'"}',
    b"ORA-00933: SQL command not properly ended",
    b"goroutine 1 [running]:\nmain.main()",
    b'{"card": "4111 1111 1111 1111", "ssn": "123-45-6789"}',
    b"key=AKIAABCDEFGHIJKLMNOP and ghp_" + b"a" * 36,
    b"-----BEGIN RSA PRIVATE KEY-----\nabc",
    b'{"Password": "x", "email": "a@b.c"}',
    b"plain text with numbers 12345 and dates 2026-11-28",
]


def _sets() -> list[list[Pattern]]:
    return [
        [Pattern(name, regex) for name, regex in SIGNATURES.items()],
        [Pattern(name, prefilter) for name, (prefilter, _) in DETECTORS.items()]
        + [Pattern("field", r'"(?:password|ssn)"\s*:', caseless=True)],
    ]


@pytest.mark.skipif(not HYPERSCAN, reason="the hyperscan wheel is not available on this platform")
@pytest.mark.parametrize("index", [0, 1])
def test_backends_agree(index: int) -> None:
    patterns = _sets()[index]
    fast, slow = PatternSet(patterns), PatternSet(patterns, force_python=True)
    assert fast.backend == "hyperscan"
    assert slow.backend == "python"
    rng = random.Random(5)
    samples = list(SAMPLES)
    for _ in range(200):  # the samples cut and spliced at random, and random noise
        a, b = rng.choice(SAMPLES), rng.choice(SAMPLES)
        samples.append(a[: rng.randrange(len(a) + 1)] + b[rng.randrange(len(b) + 1) :])
        samples.append(bytes(rng.randrange(32, 127) for _ in range(rng.randrange(80))))
    for sample in samples:
        assert {h.id for h in fast.scan(sample)} == {h.id for h in slow.scan(sample)}, sample


@pytest.mark.skipif(not HYPERSCAN, reason="the hyperscan wheel is not available on this platform")
def test_short_buffers_answer_from_memory_exactly_as_a_fresh_scan() -> None:
    patterns = _sets()[0] + _sets()[1]
    kept, fresh = PatternSet(patterns, every_match=True), PatternSet(patterns, every_match=True)
    for sample in SAMPLES:
        first = kept.scan(sample)
        first.clear()  # what a caller does with its answer never changes the next one
        again = kept.scan(sample)
        assert [(h.id, h.end) for h in again] == [(h.id, h.end) for h in fresh._scan_hyperscan(sample)]
        assert kept.scan_all(sample) == fresh._scan_all_hyperscan(sample, 4096)
    # the match limit is part of the question: a buffer past one limit is not answered for another
    three = b"Traceback (most recent call last): ORA-00933 goroutine 1 [running]:"
    assert kept.scan_all(three, limit=1) is None
    answer = kept.scan_all(three, limit=64)
    assert answer is not None
    assert len(answer) >= 3
    # bounded: a client sending only new values never grows the table past its size
    for n in range(3 * _MEMO_ENTRIES):
        kept.scan(b"value %d" % n)
        kept.scan_all(b"value %d" % n)
        assert len(kept._memo) <= _MEMO_ENTRIES + 1
        assert len(kept._memo_all) <= _MEMO_ENTRIES + 1
    # long buffers are scanned every time, not kept
    long = b"x" * 300 + SAMPLES[0]
    kept.scan(long)
    assert long not in kept._memo


def test_python_prefilter_never_hides_a_match() -> None:
    patterns = [Pattern("opt", r"abcd?e"), Pattern("alt", r"xyz(1)|qrs"), Pattern("plain", r"hello world")]
    engine = PatternSet(patterns, force_python=True)
    assert {h.id for h in engine.scan(b"..abce..")} == {"opt"}
    assert {h.id for h in engine.scan(b"..qrs..")} == {"alt"}
    assert {h.id for h in engine.scan(b"say hello world")} == {"plain"}


@pytest.mark.skipif(not HYPERSCAN, reason="the hyperscan wheel is not available on this platform")
def test_a_warmed_set_is_cached_on_disk_not_held_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The WAF's flood database is warmed at start-up and built on first need (issue 19: memory)."""
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(hyperscan_db, "_MEMO", {})
    rules = [rule for rule in load_rules() if rule.category in ("traversal", "cmdi")]  # quick to compile
    guard = WAFGuard(WAFConfig(), rules=rules)
    cached = set(tmp_path.glob("hyperscan-*.db"))
    views = {rule.view for rule in rules} - {"text"}  # path and shell: each view's rules, warmed apart
    # the glance set, its shell-view subset, the flood sets (engine._single_groups), and each view's
    # rules reporting every match
    assert len(cached) == 2 + len(_single_groups(guard.engine._scan)) + 2 * len(views)
    assert len(hyperscan_db._MEMO) == 2  # only the first two are in memory
    assert guard.engine._single is None
    assert guard.engine._single_views is None
    assert not guard.engine._every_views

    verdict = guard.check(_form_post("x=..%5cwindows%5cwin.ini"), Context("test-0000000000"))
    assert verdict is not None
    # a path view and a shell reading of its own, each read by its own rules alone
    assert set(guard.engine._every_views) == {"path", "shell"}

    verdict = guard.check(_form_post("x=" + "../" * 3000 + "etc/passwd"), Context("test-0000000001"))
    assert verdict is not None
    assert verdict.status == 403
    assert guard.engine._single is not None  # built on this first flood, loaded from the cache
    assert guard.engine._single_views is None  # its path view is the value itself

    verdict = guard.check(_form_post("x=" + "..%5c" * 3000 + "windows%5cwin.ini"), Context("test-0000000002"))
    assert verdict is not None
    assert guard.engine._single_views is not None  # a path view of its own, read by the path rules
    assert set(tmp_path.glob("hyperscan-*.db")) == cached


@pytest.mark.skipif(not HYPERSCAN, reason="the hyperscan wheel is not available on this platform")
def test_the_on_disk_cache_keeps_the_most_recently_used_databases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each policy or rule change writes new databases; the folder does not grow without bound."""
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(hyperscan_db, "_MEMO", {})
    old = []
    for index in range(cache.KEEP + 4):
        stale = tmp_path / f"hyperscan-{index:032x}.db"
        stale.write_bytes(b"old")
        os.utime(stale, (1_000_000 + index, 1_000_000 + index))
        old.append(stale)
    PatternSet([Pattern("p", r"needle\d+")])  # compiles and writes one more database
    kept = set(tmp_path.glob("hyperscan-*.db"))
    assert len(kept) == cache.KEEP
    assert not kept & set(old[:5])  # the least recently used went first
    (written,) = kept - set(old)
    os.utime(written, (1_000_000, 1_000_000))
    monkeypatch.setattr(hyperscan_db, "_MEMO", {})
    PatternSet([Pattern("p", r"needle\d+")])  # loaded from the cache, and marked as used
    assert written.stat().st_mtime > 1_000_000_000
    assert set(tmp_path.glob("hyperscan-*.db")) == kept


def test_the_on_disk_cache_stays_within_its_byte_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "BYTES", 10_000)
    for index in range(5):
        stale = tmp_path / f"hyperscan-{index:032x}.db"
        stale.write_bytes(b"x" * 4_000)
        os.utime(stale, (1_000_000 + index, 1_000_000 + index))
    cache.prune(tmp_path, "hyperscan-*.db")
    assert sorted(p.name for p in tmp_path.glob("hyperscan-*.db")) == [f"hyperscan-{i:032x}.db" for i in (3, 4)]


def _form_post(body: str) -> Request:
    headers = Headers([("host", "a"), ("content-type", "application/x-www-form-urlencoded")])
    return Request(method="POST", path="/a", query="", headers=headers, client="127.0.0.1", body=body.encode())
