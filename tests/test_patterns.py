"""The Hyperscan and the pure-Python backends of PatternSet find the same patterns in the same text."""

from __future__ import annotations

import random

import pytest

from bastion.egress.debug_pages import SIGNATURES
from bastion.egress.sensitive import DETECTORS
from bastion.patterns import HYPERSCAN, Pattern, PatternSet

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


def test_python_prefilter_never_hides_a_match() -> None:
    patterns = [Pattern("opt", r"abcd?e"), Pattern("alt", r"xyz(1)|qrs"), Pattern("plain", r"hello world")]
    engine = PatternSet(patterns, force_python=True)
    assert {h.id for h in engine.scan(b"..abce..")} == {"opt"}
    assert {h.id for h in engine.scan(b"..qrs..")} == {"alt"}
    assert {h.id for h in engine.scan(b"say hello world")} == {"plain"}
