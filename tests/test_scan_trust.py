"""`bastion scan` is honest about what it did: a dead target, logins that fail, coverage, a target that one
request takes down, a gateway that bans or throttles the scanner, --max-time and SIGTERM. Each against a
real server on loopback (the lab, a single-threaded one in its own process, a gate in front of the lab)."""

from __future__ import annotations

import hmac
import json
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from bastion.cli.scan import exit_code
from bastion.core.clock import ManualClock
from bastion.scan.crack import crack_spaces
from bastion.scan.engine import ScanError
from bastion.scan.findings import Severity
from bastion.scan.reports import html, json_report, junit, sarif
from bastion.scan.stops import DeadlineReached
from bastion.scan.target import Target
from bastion.scan.timing import mann_whitney_p
from tests.scan_lab.app import create_lab
from tests.scan_lab.gate import Gate
from tests.scan_targets import (
    HANGING_SPEC,
    LAB_AUTH,
    LAB_SPEC,
    REST_AUTH,
    REST_SPEC,
    found,
    hanging,
    rest_lab,
    scan,
)
from tests.servers import ROOT, ThreadedUvicorn, free_port

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
REPORT_SCHEMA = ROOT / "src/bastion/scan/reports/report.schema.json"
REPORT_FILES = ("bastion-scan.json", "bastion-scan.sarif", "bastion-scan.junit.xml", "bastion-scan.html")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bastion", "scan", *args], capture_output=True, text=True, timeout=180, cwd=ROOT
    )


# -- before any check: is the target there, can the users log in -------------------------------------------------


def test_a_dead_target_exits_2_with_one_line_and_no_report(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    result = _cli(
        "--spec", str(REST_SPEC), "--target", f"http://127.0.0.1:{port}", "--auth", str(REST_AUTH),
        "--format", "console,json,html", "--output-dir", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [f"error: cannot reach http://127.0.0.1:{port}/: connection refused"]
    assert not (tmp_path / "out").exists()  # nothing that could be read as a clean result


def test_no_user_logging_in_is_an_error_naming_each_user(tmp_path: Path) -> None:
    wrong = tmp_path / "auth.yaml"
    wrong.write_text(REST_AUTH.read_text().replace("alice-rest-password", "nope").replace("bob-rest-password", "x"))
    wrong.write_text(wrong.read_text().replace("admin-rest-password", "nope-either"))
    with rest_lab() as server:
        with pytest.raises(ScanError) as refused:
            scan(server.url, REST_SPEC, wrong, only=["authn.missing"])
        anonymous = scan(server.url, REST_SPEC, wrong, only=["authn.missing"], allow_anonymous=True)
        with pytest.raises(ScanError, match=r"declares security on \d+ operation\(s\) but --auth names no test user"):
            scan(server.url, REST_SPEC, None, only=["authn.missing"])
    message = str(refused.value)
    for name in ("alice", "bob", "root"):
        assert f"{name}: POST /api/v1/users/login answered 401" in message
    assert "invalid credentials" in message
    assert anonymous.coverage.identities == []
    assert set(anonymous.coverage.identities_failed) == {"alice", "bob", "root"}
    assert any("alice did not log in" in gap for gap in anonymous.coverage.shortfalls())
    assert exit_code(anonymous, Severity.CRITICAL) == 1  # thin coverage fails the gate too


def test_coverage_is_in_every_report_and_gates_ci(tmp_path: Path) -> None:
    half = tmp_path / "auth.yaml"
    half.write_text(REST_AUTH.read_text().replace("bob-rest-password", "not-bobs"))
    with rest_lab() as server:
        result = scan(server.url, REST_SPEC, half, only=["authn.missing", "methods.trace", "authz.bola"])
    assert result.coverage.identities == ["alice", "root"]
    assert "bob" in result.coverage.identities_failed
    bola = next(run for run in result.checks if run.info.id == "authz.bola")
    assert (bola.status, bola.reason) == ("skipped", "needs 2 non-admin test user(s) in --auth")
    document = json.loads(json_report.render(result))
    jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text())).validate(document)
    assert document["coverage"]["identities_failed"]["bob"].startswith("POST /api/v1/users/login answered 401")
    assert document["coverage"]["sufficient"] is False
    assert document["complete"] is True
    notes = sarif.as_dict(result)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("Coverage below --min-coverage: user bob did not log in" in n["message"]["text"] for n in notes)
    suites = {s.get("name"): s for s in ET.fromstring(junit.render(result))}  # noqa: S314 - our own output
    users = next(c for c in suites["bastion.coverage"] if c.get("name") == "test users logged in")
    assert users.find("failure") is not None
    assert "Coverage below --min-coverage: user bob did not log in" in html.render(result)
    assert exit_code(result, Severity.CRITICAL) == 1
    result.coverage.min_coverage = 0  # --min-coverage 0: the gate is off
    assert exit_code(result, Severity.CRITICAL) == 0


# -- never take the target down, always finish --------------------------------------------------------------------


def test_a_target_one_request_hangs_for_good_still_gets_every_report(tmp_path: Path) -> None:
    with hanging("forever") as server:
        result = _cli(
            "--spec", str(HANGING_SPEC), "--target", server.url, "--timeout", "1", "--recovery-wait", "2",
            "--format", "json,sarif,junit,html", "--output-dir", str(tmp_path),
        )  # fmt: skip
    assert result.returncode == 1, result.stderr  # the outage is a critical finding
    for name in REPORT_FILES:
        assert (tmp_path / name).stat().st_size > 0
    document = json.loads((tmp_path / "bastion-scan.json").read_text())
    assert document["complete"] is False
    assert "stopped answering after request" in document["stop_reason"]
    assert "did not come back within 2 s" in document["stop_reason"]
    dos = next(f for f in document["findings"] if f["check"] == "resource.denial-of-service")
    assert dos["operation"] == "searchItems"
    assert dos["severity"] == "critical"
    assert "%27" in dos["reproduction"]  # the request with the quote that hung it, as a curl line
    skipped = {c["id"]: c for c in document["checks"] if c["status"] == "skipped"}
    assert "stopped answering" in skipped["fuzz.server-error"]["reason"]
    assert (
        json.loads((tmp_path / "bastion-scan.sarif").read_text())["runs"][0]["invocations"][0]["executionSuccessful"]
        is False
    )


def test_a_target_that_comes_back_gets_the_other_checks() -> None:
    with hanging("6") as server:  # longer than a timed-out request, the next one and the probe (1 s each)
        result = scan(server.url, HANGING_SPEC, None, rate=None, timeout=1.0, recovery_wait=15.0)
    assert result.stop_reason is None
    outage = result.outages[0]
    assert outage.recovered_after is not None
    assert outage.check == "injection.sql"
    runs = {run.info.id: run for run in result.checks}
    assert runs["injection.sql"].status == "error"
    assert "came back after" in runs["injection.sql"].reason
    assert runs["injection.template"].status == "ran"
    assert found(result, "resource.denial-of-service") == ["searchItems"]


def test_max_time_stops_the_scan_and_the_reports_say_so(tmp_path: Path) -> None:
    with rest_lab() as server:
        result = _cli(
            "--spec", str(REST_SPEC), "--target", server.url, "--auth", str(REST_AUTH), "--max-time", "4",
            "--fail-on", "critical", "--format", "json,junit", "--output-dir", str(tmp_path),
        )  # fmt: skip
    document = json.loads((tmp_path / "bastion-scan.json").read_text())
    assert document["complete"] is False
    assert document["stop_reason"] == "--max-time of 4 s was reached"
    assert result.returncode == (1 if document["summary"]["critical"] else 2), result.stderr
    assert any(c["status"] == "budget" and "--max-time" in c["reason"] for c in document["checks"])
    root = ET.fromstring((tmp_path / "bastion-scan.junit.xml").read_text())  # noqa: S314 - our own output
    complete = next(
        c for s in root if s.get("name") == "bastion.coverage" for c in s if c.get("name") == "scan complete"
    )
    assert complete.find("failure") is not None


def test_sigterm_stops_the_scan_and_the_reports_are_written(tmp_path: Path) -> None:
    gate = Gate(create_lab(), "pass")
    with ThreadedUvicorn(gate) as server:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "bastion", "scan", "--spec", str(LAB_SPEC), "--target", server.url,
                "--auth", str(LAB_AUTH), "--fail-on", "critical", "--format", "json,html",
                "--output-dir", str(tmp_path), "--rate", "100",
            ],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while gate.count < 40 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)  # polling for a condition (traffic has started), not waiting out a deadline
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    document = json.loads((tmp_path / "bastion-scan.json").read_text())
    assert document["stop_reason"] == "the scan was interrupted (SIGTERM)"
    assert process.returncode == (1 if document["summary"]["critical"] else 2), stderr
    assert (tmp_path / "bastion-scan.html").stat().st_size > 0


def test_the_deadline_is_a_clock_deadline() -> None:
    clock = ManualClock()
    target = Target(f"http://127.0.0.1:{free_port()}", max_time=5, clock=clock, sleep=clock.advance)
    assert target.time_left() == 5
    clock.advance(5)
    with pytest.raises(DeadlineReached):
        target.send("GET", "/")  # refused before anything is sent
    assert target.sent == 0


# -- blocked by a gateway ------------------------------------------------------------------------------------------


def test_a_ban_is_reported_with_the_request_it_began_at() -> None:
    with ThreadedUvicorn(Gate(create_lab(), "ban", after=80)) as server:
        result = scan(server.url, LAB_SPEC, LAB_AUTH, recovery_wait=3.0, crack_time=1.0)
    assert len(result.blocks) == 1
    block = result.blocks[0]
    assert block.first_request == 81
    assert block.last_request is None
    assert block.what.startswith("403 urn:example:problem:banned")
    assert result.stop_reason == block.describe()
    assert block.describe().startswith("the scan was blocked from request 81 on: 403 urn:example:problem:banned")
    assert block.affected
    runs = {run.info.id: run for run in result.checks}
    assert all(runs[check_id].status != "ran" or found(result, check_id) for check_id in block.affected)
    assert runs["injection.sql"].status == "skipped"


def test_a_throttle_is_waited_out_at_a_lower_rate() -> None:
    with ThreadedUvicorn(Gate(create_lab(), "throttle", after=60, seconds=3)) as server:
        result = scan(server.url, LAB_SPEC, LAB_AUTH, only=["authn", "authz", "injection.template"], crack_time=1.0)
    assert result.stop_reason is None
    block = result.blocks[0]
    assert block.status == 429
    assert block.retry_after == 3
    assert block.last_request is not None  # lifted after Retry-After: the scan went on
    assert block.affected


def test_a_waf_refusing_attacks_is_not_a_block() -> None:
    with ThreadedUvicorn(Gate(create_lab(), "waf")) as server:
        result = scan(server.url, LAB_SPEC, LAB_AUTH, only=["injection.sql", "injection.template", "methods"])
    assert result.blocks == []  # every attack refused alike, every ordinary request answered: no ban
    assert result.stop_reason is None
    assert {run.info.id for run in result.checks if run.status == "ran"} >= {"injection.sql", "methods.undeclared"}


# -- the statistics and the cracking behind the checks -------------------------------------------------------------


def test_rank_test_and_time_bounded_cracking(monkeypatch: pytest.MonkeyPatch) -> None:
    assert mann_whitney_p([0.12 + i / 1000 for i in range(10)], [0.003 + i / 10000 for i in range(10)]) < 1e-4
    assert mann_whitney_p([0.1, 0.2, 0.3], [0.1, 0.2, 0.3]) > 0.3
    signing = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0"
    cracked = crack_spaces(signing, hmac.digest(b"04829", signing, "sha256"), "HS256", budget=20)
    assert cracked.secret == "04829"

    def no_processes(*args: object, **kwargs: object) -> None:
        raise OSError("no semaphores here")

    monkeypatch.setattr("bastion.scan.crack.ProcessPoolExecutor", no_processes)
    alone = crack_spaces(signing, hmac.digest(b"7391", signing, "sha256"), "HS256", budget=20)
    assert alone.secret == "7391"  # the same search in this process when no worker can start
    nothing = crack_spaces(signing, b"x" * 32, "HS256", budget=0.5)
    assert nothing.secret is None
    assert nothing.seconds < 5
