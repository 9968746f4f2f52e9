"""The operator console in a real headless Chromium (Debian's, driven by chromedriver through
selenium), against `bastion serve` in front of the demo shop, as an operator would use it: log in,
watch the overview move with traffic, follow the live tail, find an event and its decision trail,
resolve an incident, lift a ban, run explain. Screenshots go to docs/img/ for docs/console.md."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.servers import ROOT, bastion_process, demo_api_process, free_port, listening_and_admin_ports, require_binary

TOKEN = "console-browser-test-admin-token-0123456789"
OPERATOR = "Dana on call"
ATTACKER = "127.0.0.7"  # a loopback address of its own, so its ban does not shut the test out
# The docs' screenshots are refreshed on demand (BASTION_SCREENSHOTS=1 make test); otherwise the same
# shots are taken, and checked to be images, in a throwaway folder so a test run leaves the tree clean.
SCREENSHOTS = ROOT / "docs" / "img" if os.environ.get("BASTION_SCREENSHOTS") == "1" else Path(tempfile.mkdtemp())
SQLI = "/api/products/search?q=x%27%20UNION%20SELECT%20id,password_hash%20FROM%20users--"


@dataclass
class Demo:
    gateway: str
    console: str
    state: Path
    api: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    api_port = free_port()
    state = tmp_path_factory.mktemp("console")
    env = {
        **os.environ,
        "DEMO_JWT_SECRET": "demo-jwt-secret-for-the-tests-0123456789",
        "BASTION_SECRET": "b" * 40,
        "BASTION_ADMIN_TOKEN": TOKEN,
        "DEMO_ADMIN_PORT": "0",  # the admin listener (the console) binds a port of its own choosing and says which
        "DEMO_DB": str(state / "shop.db"),
        "BASTION_STATE_DIR": str(state),
    }
    with demo_api_process(api_port, env):
        args = ("--port", "0", "--upstream", f"http://127.0.0.1:{api_port}")
        with bastion_process(ROOT / "examples/demo.yaml", *args, env=env) as process:
            gateway_port, admin_port = listening_and_admin_ports(process, timeout=10)
            yield Demo(
                f"http://127.0.0.1:{gateway_port}",
                f"http://127.0.0.1:{admin_port}",
                state,
                f"http://127.0.0.1:{api_port}",
            )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_binary("chromium", "chromium")
    driver_path = require_binary("chromedriver", "chromium-driver")

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--hide-scrollbars",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def eventually(condition: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll until `condition()` is truthy (the audit writer and detectors work asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def shot(driver: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"console-{name}.png"
    driver.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def text_of(driver: Any, element_id: str) -> str:
    """The element's text, once the page that has it is loaded (a click navigates asynchronously)."""

    def read() -> str | None:
        try:
            return str(driver.find_element(By.ID, element_id).text)
        except (NoSuchElementException, StaleElementReferenceException):
            return None

    return str(eventually(lambda: (text := read()) is not None and (text,), what=f"#{element_id}")[0])


def test_an_operator_works_through_the_console(demo: Demo, browser: Any) -> None:  # noqa: PLR0915  one operator session, step by step: the browser state carries over
    driver = browser
    # Unauthenticated: the console sends the browser to its login page, and a wrong token is refused.
    driver.get(f"{demo.console}/console/")
    assert driver.current_url.startswith(f"{demo.console}/console/login")
    driver.find_element(By.ID, "operator-name").send_keys(OPERATOR)
    driver.find_element(By.ID, "token").send_keys("not-the-admin-token-at-all-000000")
    driver.find_element(By.ID, "login").click()
    eventually(lambda: driver.find_elements(By.ID, "login-error"), what="the login error")
    assert "not the admin token" in text_of(driver, "login-error")
    shot(driver, "login")
    driver.find_element(By.ID, "operator-name").send_keys(OPERATOR)
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.ID, "login").click()
    eventually(lambda: driver.current_url == f"{demo.console}/console/", what="the overview after login")
    assert text_of(driver, "operator") == OPERATOR
    before = int(text_of(driver, "requests"))

    # Traffic: ordinary requests, and an attacker whose SQL injections end in a WAF-burst ban.
    with httpx.Client(base_url=demo.gateway) as client:
        for _ in range(12):
            assert client.get("/api/products").status_code == 200
    attacker = httpx.Client(base_url=demo.gateway, transport=httpx.HTTPTransport(local_address=ATTACKER))
    with attacker:
        for _ in range(6):
            attacker.get(SQLI)
        banned = eventually(lambda: (r := attacker.get("/api/products")).status_code == 403 and r, what="the ban")
        assert banned.json()["type"] == "urn:bastion:problem:banned"
        assert int(banned.headers["retry-after"]) > 0

        def overview_moved() -> bool:
            driver.get(f"{demo.console}/console/?window=5m")
            return int(text_of(driver, "requests")) >= before + 18 and int(text_of(driver, "refused")) >= 6

        eventually(overview_moved, what="the overview to count the traffic")
        assert ATTACKER in text_of(driver, "top-client")
        shot(driver, "overview")

        # The live tail shows a refusal made while the page is open.
        driver.get(f"{demo.console}/console/live")
        eventually(lambda: text_of(driver, "live-state") == "live", what="the live stream")
        with httpx.Client(base_url=demo.gateway) as client:
            client.get("/api/debug/users")  # unknown route: 404, refused by routing
            client.get(SQLI)
        eventually(lambda: "waf." in text_of(driver, "live"), what="the refusal in the live tail")
        driver.find_element(By.ID, "pause").click()
        assert "paused" in text_of(driver, "live-state")
        shot(driver, "live")

        # Audit search: the attacker's refusals, one event's decision trail, the same client's events.
        driver.get(f"{demo.console}/console/audit")
        driver.find_element(By.NAME, "client").send_keys(ATTACKER)
        driver.find_element(By.NAME, "rule").send_keys("waf.")
        driver.find_element(By.ID, "search").click()
        eventually(lambda: "rule=waf." in driver.current_url, what="the search results")
        rows = driver.find_elements(By.CSS_SELECTOR, "#results tbody tr.refused")
        assert len(rows) >= 5
        shot(driver, "audit")
        rows[0].find_element(By.TAG_NAME, "a").click()
        trail = text_of(driver, "trail")
        assert "waf" in trail
        assert "enforce" in trail
        shot(driver, "event")
        driver.find_element(By.ID, "same-client").click()
        eventually(lambda: "since=24h" in driver.current_url, what="the same client's events")
        assert all(ATTACKER in row.text for row in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr"))

        # The incident the detector opened: its timeline, then resolve it with a note.
        driver.get(f"{demo.console}/console/incidents")
        link = eventually(
            lambda: driver.find_elements(By.CSS_SELECTOR, "#incidents a") or driver.refresh(), what="the incident"
        )[0]
        link.click()
        assert "waf" in text_of(driver, "timeline").lower()
        driver.find_element(By.ID, "note").send_keys("SQLi probe from a test address; banned, nothing leaked")
        shot(driver, "incident")
        driver.find_element(By.ID, "resolve").click()
        eventually(lambda: text_of(driver, "incident-status") == "resolved", what="the incident resolved")
        assert "nothing leaked" in text_of(driver, "incident-note")

        # The ban: listed, lifted (after a confirmation), and the address is served again.
        driver.get(f"{demo.console}/console/bans")
        assert ATTACKER in text_of(driver, "bans")
        shot(driver, "bans")
        driver.find_element(By.CSS_SELECTOR, "#bans button.lift").click()
        driver.switch_to.alert.accept()
        eventually(lambda: "no active bans" in text_of(driver, "bans"), what="the ban to be lifted")
        assert eventually(lambda: attacker.get("/api/products").status_code == 200, what="the address served again")

    # Explain: the object-level rule refuses a user reading someone else's account.
    driver.get(f"{demo.console}/console/policy")
    assert len(text_of(driver, "config-hash")) == 16
    assert "enforce" in text_of(driver, "modes")
    driver.find_element(By.ID, "explain-target").send_keys("/api/users/7")
    driver.find_element(By.ID, "explain-as").send_keys("role=user,sub=8")
    driver.find_element(By.ID, "explain").click()
    result = text_of(driver, "explain-result")
    assert "getUser" in result
    assert "REFUSED 403" in result
    assert "decision:  403" in result
    shot(driver, "policy")

    # Scans: a report of the demo API scanned directly, each finding beside the policy that blocks it.
    reports = demo.state / "scan"
    subprocess.run(
        [sys.executable, "-m", "bastion", "scan", "--spec", str(ROOT / "examples/demo_api/openapi.yaml"),
         "--target", demo.api, "--only", "methods.trace,exposure.banner,exposure.debug-endpoint",
         "--format", "json", "--output-dir", str(reports), "--allow-anonymous"],
        cwd=ROOT, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    driver.get(f"{demo.console}/console/scans")
    driver.find_element(By.ID, "scan-path").send_keys(str(reports / "bastion-scan.json"))
    driver.find_element(By.ID, "scan-open").click()
    findings = eventually(lambda: driver.find_elements(By.ID, "findings") and text_of(driver, "findings"))
    assert "methods.trace" in findings
    assert "exposure.debug-endpoint" in findings
    assert "ingress" in findings or "methods" in findings  # the policy snippet that refuses TRACE
    shot(driver, "scans")

    # Every action above is in the audit trail, naming the operator.
    driver.get(f"{demo.console}/console/audit?since=1h&subject={OPERATOR.replace(' ', '+')}")
    actions = text_of(driver, "results")
    assert "/console/incidents/" in actions
    assert "/console/bans/" in actions
