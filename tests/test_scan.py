"""The scanner's machinery: scope, budget and safety of its traffic, masking, forging, statistics, the
registry, the report formats (validated against their schemas, the HTML one rendered in Chromium) and the
CLI's exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import Route

from bastion.scan import tokens
from bastion.scan.checks import selected
from bastion.scan.engine import ScanResult
from bastion.scan.masking import Masker
from bastion.scan.registry import REGISTRY
from bastion.scan.reports import html, json_report, junit, sarif
from bastion.scan.stops import BudgetExhausted, ScopeError, UnsafeRequest
from bastion.scan.target import Target
from bastion.scan.timing import growth_exponent, stands_out
from tests.scan_targets import DEMO_AUTH, DEMO_SPEC, demo_api, lab, scan
from tests.servers import IN_CI, ROOT, ThreadedUvicorn

REPORT_SCHEMA = ROOT / "src/bastion/scan/reports/report.schema.json"
SARIF_SCHEMA = ROOT / "tests/data/sarif-2.1.0-rtm.5.json"


@pytest.fixture(scope="module")
def demo_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    with demo_api(tmp_path_factory.mktemp("demo") / "shop.db") as server:
        return scan(server.url, DEMO_SPEC, DEMO_AUTH, only=["authz", "exposure", "methods.trace", "spec"])


# -- the target: scope, budget, safety, pacing ---------------------------------------------------------------


def test_target_refuses_any_other_host() -> None:
    target = Target("http://127.0.0.1:9/api")
    for url in ("http://example.com/x", "http://127.0.0.1:10/x", "https://127.0.0.1:9/x", "http://localhost:9/x"):
        with pytest.raises(ScopeError):
            target.url(url)
    assert target.url("/users", [("q", "a'b c&d")]) == "http://127.0.0.1:9/api/users?q=a%27b%20c%26d"
    assert target.url("http://127.0.0.1:9/api/x") == "http://127.0.0.1:9/api/x"


def test_target_budget_safe_mode_and_redirects() -> None:
    async def away(request: object) -> RedirectResponse:
        return RedirectResponse("http://example.com/elsewhere")

    with ThreadedUvicorn(Starlette(routes=[Route("/away", away)])) as server:
        target = Target(server.url, budget=3, rate=0)
        answer = target.send("GET", "/away")
        assert answer.status == 307  # not followed: the scan never leaves its target
        with pytest.raises(UnsafeRequest):
            target.send("DELETE", "/away")
        target.send("GET", "/away")
        target.send("GET", "/away")
        with pytest.raises(BudgetExhausted):
            target.send("GET", "/away")
        assert target.sent == 3


def test_target_paces_requests_to_the_rate() -> None:
    with lab() as server:
        target = Target(server.url, rate=20)
        started = time.monotonic()
        for _ in range(11):
            target.send("GET", "/lab/thing")
        assert time.monotonic() - started >= 0.5  # ten gaps of 1/20 s: a lower bound, never exceeded


# -- masking, forging, statistics --------------------------------------------------------------------------


def test_masker_hides_credentials_but_keeps_attack_payloads() -> None:
    masker = Masker()
    masker.add("hunter2-password")
    masker.public("' OR 1=1 --")
    body = masker.body('{"password": "\' OR 1=1 --", "token": "abcdefghijkl", "note": "hunter2-password"}')
    assert "' OR 1=1 --" in body
    assert "abcdefghijkl" not in body
    assert "hunter2-password" not in body
    assert masker.header("Authorization", "Bearer abc.def.ghi-very-long") == "Bearer abc.…(masked 21 chars)"
    jwt = tokens.sign_hmac({"alg": "HS256"}, {"sub": "1"}, b"k" * 32)
    assert jwt.rsplit(".", 1)[1] not in masker.text(f"token={jwt}")


def test_crack_finds_a_listed_secret_and_only_then() -> None:
    weak = tokens.sign_hmac({"alg": "HS256", "typ": "JWT"}, {"sub": "1"}, b"changeme")
    strong = tokens.sign_hmac({"alg": "HS256", "typ": "JWT"}, {"sub": "1"}, b"q8#Lr!v0-not-in-any-list-7d2f9a")
    secrets = tokens.common_secrets()
    assert len(secrets) > 200
    assert tokens.crack(weak, secrets) == "changeme"
    assert tokens.crack(strong, secrets) is None
    parsed = tokens.parse(tokens.encode({"alg": "none"}, {"sub": "2"}))
    assert parsed is not None
    assert parsed.alg == "none"
    assert parsed.signature == b""


def test_timing_statistics() -> None:
    baseline = [0.010, 0.012, 0.011, 0.013, 0.010]
    assert stands_out(baseline, 2.05, 2.0)
    assert not stands_out(baseline, 0.5, 2.0)
    assert not stands_out([0.1, 1.9, 0.2], 2.1, 2.0)  # a noisy baseline: 7 sigma is out of reach
    assert growth_exponent([1000, 2000, 4000], [0.01, 0.02, 0.04]) == pytest.approx(1.0)
    assert growth_exponent([1000, 2000, 4000], [0.01, 0.04, 0.16]) == pytest.approx(2.0)


# -- registry ----------------------------------------------------------------------------------------------


def test_every_check_is_classified_and_selectable() -> None:
    checks = selected([], [])
    assert len(checks) == len(REGISTRY) >= 40
    for registered in checks:
        info = registered.info
        assert info.cwe > 0
        assert info.owasp_name.startswith(info.owasp + ":2023")
        assert info.remediation
    assert [c.info.id for c in selected(["injection"], [])] == [
        "injection.sql",
        "injection.nosql",
        "injection.os-command",
        "injection.ldap",
        "injection.template",
        "injection.ssrf",
    ]
    assert {c.info.id for c in selected(["authn.jwt-*"], ["authn.jwt-alg-none"])} == {
        "authn.jwt-weak-secret",
        "authn.jwt-signature-not-verified",
        "authn.jwt-key-confusion",
        "authn.jwt-header-injection",
    }
    with pytest.raises(ValueError, match=r"no check matches injection\.xpath"):
        selected(["injection.xpath"], [])


# -- reports -----------------------------------------------------------------------------------------------


def test_json_report_matches_its_documented_schema(demo_result: ScanResult) -> None:
    document = json.loads(json_report.render(demo_result))
    jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text())).validate(document)
    assert document["summary"]["high"] >= 1
    assert {f["check"] for f in document["findings"]} >= {"authz.bola", "exposure.debug-endpoint"}


def test_sarif_report_validates_against_sarif_2_1_0(demo_result: ScanResult) -> None:
    document = json.loads(sarif.render(demo_result))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(document)
    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(run["results"]) == len(demo_result.findings)
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["locations"][0]["logicalLocations"][0]["name"]


def test_junit_report_has_one_case_per_check_and_operation(demo_result: ScanResult) -> None:
    root = ET.fromstring(junit.render(demo_result))  # noqa: S314 - our own output
    suites = {suite.get("name"): suite for suite in root}
    bola = {case.get("name"): case for case in suites["authz.bola"]}
    assert bola["getUser"].find("failure") is not None
    assert int(root.get("failures", "0")) == len(demo_result.findings)
    assert int(root.get("tests", "0")) == sum(len(s) for s in root)


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:
        message = "chromium is not installed (apt-get install chromium); run `make services`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def test_html_report_renders_in_a_real_browser(demo_result: ScanResult, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(html.render(demo_result), encoding="utf-8")
    browser = _chromium()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'p'}"]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "Broken object level authorization" in dom
    assert "<script" not in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, "--window-size=1280,1600", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=60,
        check=True,
    )

    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1600)
    colours = image.getcolors(maxcolors=1 << 20) or []
    # The dark header, the white cards and the red/amber severity badges are all painted.
    assert any(count > 5000 and max(rgb) < 60 for count, rgb in colours)
    assert any(r > 150 and g < 80 and b < 80 for _, (r, g, b) in colours)
    assert len(colours) > 50


def test_untrusted_text_is_escaped_in_html(demo_result: ScanResult) -> None:
    finding = demo_result.findings[0]
    original = finding.detail
    finding.detail = "<img src=x onerror=alert(1)>"
    try:
        page = html.render(demo_result)
    finally:
        finding.detail = original
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# -- the command line --------------------------------------------------------------------------------------


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bastion", "scan", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def test_cli_exit_codes_and_reports(tmp_path: Path) -> None:
    spec = ROOT / "tests/specs/scan_audit.yaml"
    failing = _cli(
        "--spec",
        str(spec),
        "--target",
        "http://127.0.0.1:9",
        "--only",
        "spec",
        "--format",
        "json,sarif,junit,html",
        "--output-dir",
        str(tmp_path),
        "--fail-on",
        "high",
    )
    assert failing.returncode == 1, failing.stderr
    assert "at or above high" in failing.stderr
    for name in ("bastion-scan.json", "bastion-scan.sarif", "bastion-scan.junit.xml", "bastion-scan.html"):
        assert (tmp_path / name).stat().st_size > 0
    passing = _cli(
        "--spec",
        str(spec),
        "--target",
        "http://127.0.0.1:9",
        "--only",
        "spec.http-server",
        "--fail-on",
        "high",
        "--format",
        "json",
        "--output-dir",
        str(tmp_path),
    )
    assert passing.returncode == 0, passing.stderr


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    spec = str(ROOT / "tests/specs/scan_audit.yaml")
    bad_auth = tmp_path / "auth.yaml"
    bad_auth.write_text("login:\n  request: {path: api/login}\nusers:\n  - {name: a}\n  - {name: a}\n")
    cases = [
        (["--spec", spec, "--target", "ftp://127.0.0.1"], "http:// or https://"),
        (["--spec", spec, "--target", "http://127.0.0.1:9", "--format", "pdf"], "unknown format pdf"),
        (["--spec", spec, "--target", "http://127.0.0.1:9", "--fail-on", "urgent"], "unknown severity"),
        (["--spec", spec, "--target", "http://127.0.0.1:9", "--only", "nope"], "no check matches nope"),
        (["--spec", "http://example.com/openapi.yaml", "--target", "http://127.0.0.1:9"], "not the target"),
        (["--spec", str(tmp_path / "missing.yaml"), "--target", "http://127.0.0.1:9"], "cannot read"),
        (["--spec", spec, "--target", "http://127.0.0.1:9", "--auth", str(bad_auth)], "login.request.path"),
    ]
    for args, message in cases:
        result = _cli(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)
    duplicate = _cli("--spec", spec, "--target", "http://127.0.0.1:9", "--auth", str(bad_auth))
    assert "user names must be unique" in duplicate.stderr


def test_every_check_is_documented() -> None:
    text = (ROOT / "docs/scan.md").read_text()
    missing = [check_id for check_id in REGISTRY if f"`{check_id}`" not in text]
    assert missing == []
