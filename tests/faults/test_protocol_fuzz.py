"""Protocol fuzzing in CI: 30,000 grammar-generated requests against a running `bastion serve`.

The promises and how each is checked are in `fuzz_oracle` and `fuzz_campaign`; `make fuzz` runs
the same campaign with 1,000,000 requests and prints the summary. Bounds stated here: the workers'
RSS may grow at most 32 MiB after the first fifth of the run (bounded caches filling), the case that
took longest must end within 10 s, and everything else is zero.
"""

from __future__ import annotations

import os

import pytest

from tests.faults.fuzz_campaign import run

CASES = int(os.environ.get("BASTION_FUZZ_CASES", "30000"))
RSS_GROWTH_KIB = 32 * 1024


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_thirty_thousand_fuzzed_requests_keep_every_promise() -> None:
    summary = run(CASES)
    report = summary.report()
    print(report)
    assert summary.cases >= CASES, report
    assert summary.violation_count == 0, report
    assert summary.upstream.get("parse_errors") == [], report
    # nothing reached the upstream that a client was not answered for (the probes are the audit check's)
    assert summary.upstream.get("requests") == summary.forwarded + summary.probes, report
    assert summary.workers_before, report
    assert summary.workers_after == summary.workers_before, report
    assert summary.exit_code == 0, report
    assert summary.audit_alive, report
    assert summary.rss_growth_kib() < RSS_GROWTH_KIB, report
