"""The response phase's single scan answers as the two scans it replaced (STYLE §3: a fast path
compared with the slow one on the same inputs): debug output within the first 64 KiB, and the
sensitive-data detectors that may apply anywhere in the body."""

from __future__ import annotations

import random

import pytest

from bastion.config.responses import SensitiveDataConfig
from bastion.egress.cleaner import BodyCleaner
from bastion.egress.debug_pages import SCANNED, debug_signature
from bastion.egress.sensitive import SensitiveData
from tests.test_patterns import SAMPLES

CONFIGS = {
    "defaults": SensitiveDataConfig(),
    "no fields": SensitiveDataConfig(field_action="off"),
    "cards only": SensitiveDataConfig(cloud_keys="off", field_action="off", national_ids="off", private_keys="off"),
}


def _bodies() -> list[bytes]:
    rng = random.Random(11)
    bodies = list(SAMPLES)
    for _ in range(300):
        a, b = rng.choice(SAMPLES), rng.choice(SAMPLES)
        bodies.append(a[: rng.randrange(len(a) + 1)] + b[rng.randrange(len(b) + 1) :])
    filler = b"x" * (SCANNED - 20)
    bodies += [filler + sample for sample in SAMPLES]  # signatures that cross or pass the 64 KiB mark
    bodies += [sample + filler + sample for sample in SAMPLES]
    return bodies


@pytest.mark.parametrize("name", list(CONFIGS))
@pytest.mark.parametrize("debug", [True, False])
def test_one_scan_answers_as_the_two_it_replaced(name: str, debug: bool) -> None:
    sensitive = SensitiveData(CONFIGS[name])
    cleaner = BodyCleaner(sensitive, debug)
    for body in _bodies():
        expected = (debug_signature(body) if debug else None, sensitive.candidates(body))
        assert cleaner.first_look(body) == expected, body[:80]


def test_without_sensitive_data_only_debug_output_is_looked_for() -> None:
    cleaner = BodyCleaner(None, True)
    assert cleaner.first_look(b"Traceback (most recent call last):\n") == ("python", frozenset())
    assert cleaner.first_look(b'{"password": "x"}') == (None, frozenset())
    assert BodyCleaner(None, False).first_look(b"Traceback (most recent call last):\n") == (None, frozenset())
