"""The console over HTTP: who gets in, CSRF and CSP, cookies, pagination, and audited actions.

Runs the real admin listener (with the console mounted) in the test's event loop on a loopback port.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bastion.console.sessions import ABSOLUTE, IDLE, MAX_SESSIONS, Sessions
from bastion.core.clock import ManualClock
from bastion.crypto.keyring import Keyring
from bastion.crypto.sealing import Sealer
from bastion.engine import Engine
from bastion.store.records import BanRecord
from tests.admin_harness import admin_listener
from tests.audit_bulk import fill
from tests.proxy_harness import make_config

TOKEN = "console-unit-test-admin-token-0123456789"
SECRET = "console-tests-bastion-secret-0123456789abcdef"


async def _console(tmp_path: Path, admin: dict[str, Any]) -> AsyncIterator[tuple[str, Engine]]:
    config = make_config(
        "http://127.0.0.1:9",
        store={"path": str(tmp_path / "bastion.db")},
        secrets={"key": SECRET},
        admin={"host": "127.0.0.1", "port": 0, **admin},
        detect={},
    )
    async with admin_listener(config) as running:
        yield running


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[tuple[str, Engine]]:
    async for running in _console(tmp_path, {"token": TOKEN}):
        yield running


async def _login(client: httpx.AsyncClient, operator: str = "erin") -> str:
    """Log in; the CSRF token of the session, read from a page."""
    response = await client.post("/console/login", data={"operator": operator, "token": TOKEN, "next": "/console/bans"})
    assert response.status_code == 303
    assert response.headers["location"] == "/console/bans"
    page = await client.get("/console/bans")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_the_console_is_closed_without_a_way_to_know_the_operator(tmp_path: Path) -> None:
    async for base, _ in _console(tmp_path, {}):
        async with httpx.AsyncClient(base_url=base) as client:
            page = await client.get("/console/")
            assert page.status_code == 401
            assert "admin.token" in page.text
            login = await client.post("/console/login", data={"operator": "x", "token": "y"})
            assert login.status_code == 401


async def test_login_sets_a_strict_http_only_cookie_and_refuses_a_wrong_token(console: tuple[str, Engine]) -> None:
    base, _ = console
    async with httpx.AsyncClient(base_url=base) as client:
        assert (await client.get("/console/audit")).headers["location"] == "/console/login?next=/console/audit"
        wrong = await client.post("/console/login", data={"operator": "erin", "token": TOKEN[:-1] + "x"})
        assert wrong.status_code == 401
        assert "set-cookie" not in wrong.headers
        unnamed = await client.post("/console/login", data={"operator": "<script>", "token": TOKEN})
        assert unnamed.status_code == 400
        ok = await client.post("/console/login", data={"operator": "erin", "token": TOKEN, "next": "//evil.example/"})
        assert ok.headers["location"] == "/console/"  # never an open redirect
        cookie = ok.headers["set-cookie"]
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/console/"):
            assert attribute in cookie
        assert (await client.get("/console/")).status_code == 200


async def test_every_page_has_a_strict_csp_and_no_inline_script(console: tuple[str, Engine]) -> None:
    base, _ = console
    async with httpx.AsyncClient(base_url=base) as client:
        await _login(client)
        for path in ("/console/", "/console/?window=24h", "/console/live", "/console/audit", "/console/incidents",
                     "/console/bans", "/console/revocations", "/console/policy", "/console/login"):  # fmt: skip
            page = await client.get(path, follow_redirects=True)
            assert page.status_code == 200, path
            csp = page.headers["content-security-policy"]
            assert "script-src 'self'" in csp
            assert "unsafe-inline" not in csp
            assert "frame-ancestors 'none'" in csp
            assert page.headers["x-frame-options"] == "DENY"
            assert page.headers["x-content-type-options"] == "nosniff"
            assert page.headers["referrer-policy"] == "no-referrer"
            assert page.headers["cache-control"] == "no-store"
            scripts = re.findall(r"<script[^>]*>", page.text)
            assert scripts == ['<script src="/console/static/console.js" defer>'], path
            assert " on" not in " ".join(re.findall(r"<[^>]+ on[a-z]+=", page.text))  # no inline handlers


async def test_actions_need_the_sessions_csrf_token_and_are_audited_with_the_operator(
    console: tuple[str, Engine],
) -> None:
    base, engine = console
    sealer = Sealer(Keyring(engine.config.secrets))
    ban_id = engine.store.add_ban(
        BanRecord(
            0,
            "ip",
            "lookup-1",
            sealer.seal(b"10.1.2.3", b"lookup-1"),
            time.time(),
            time.time() + 600,
            1,
            "waf-burst",
            None,
        )
    )
    async with httpx.AsyncClient(base_url=base) as client:
        csrf = await _login(client, "erin")
        assert "10.1.2.3" in (await client.get("/console/bans")).text
        lift = f"/console/bans/{ban_id}/lift"
        assert (await client.post(lift, data={})).status_code == 403
        assert (await client.post(lift, data={"csrf": "x" * 43})).status_code == 403
        foreign = await client.post(lift, data={"csrf": csrf}, headers={"origin": "http://evil.example"})
        assert foreign.status_code == 403
        assert engine.store.bans(active_only=True)  # nothing happened yet
        done = await client.post(lift, data={"csrf": csrf})
        assert done.status_code == 303
        assert not engine.store.bans(active_only=True)
        async with httpx.AsyncClient(base_url=base) as stranger:
            assert (await stranger.post(lift, data={"csrf": csrf})).status_code == 401  # no session, no action

        async def audited() -> str:
            for _ in range(100):
                page = await client.get("/console/audit", params={"since": "1h", "operation": "console.lift_ban"})
                if f"POST /console/bans/{ban_id}/lift" in page.text:
                    return page.text
                await asyncio.sleep(0.05)
            raise AssertionError("the action never reached the audit trail")

        row = re.search(r"<tr class=\"allowed\">.*?</tr>", await audited(), re.S)
        assert row
        assert "<td>erin</td>" in row.group(0)

        await client.post("/console/logout", data={"csrf": csrf})
        assert (await client.get("/console/bans")).status_code == 303  # the session is over


async def test_search_pages_through_the_trail_without_repeating_an_event(console: tuple[str, Engine]) -> None:
    base, engine = console
    await engine.stop()  # the writer would add its own events; this trail is made by hand
    fill(Path(engine.config.store.path), 120, now=time.time(), span=600)
    async with httpx.AsyncClient(base_url=base) as client:
        await _login(client)
        seen: list[str] = []
        url: str | None = "/console/audit?since=1h"
        pages = 0
        while url:
            page = await client.get(url.replace("&amp;", "&"))
            assert page.status_code == 200
            seen += re.findall(r'href="/console/audit/(bulk/\d+)"', page.text)
            older = re.search(r'href="([^"]+)" id="older"', page.text)
            url = older.group(1) if older else None
            pages += 1
        assert pages == 3
        assert len(seen) == len(set(seen)) == 120
        detail = await client.get("/console/audit/bulk/1")
        assert "10.9.9.9" in detail.text
        assert 'id="same-client"' in detail.text
        bad = await client.get("/console/audit", params={"status": "abc"})
        assert bad.status_code == 400


def test_sessions_end_when_idle_or_old_and_are_bounded() -> None:
    clock = ManualClock()
    sessions = Sessions("t" * 24, clock)
    first = sessions.open("a", "admin_token")
    clock.advance(IDLE - 1)
    assert sessions.find(first.id) is first
    clock.advance(IDLE + 1)
    assert sessions.find(first.id) is None
    kept = sessions.open("b", "admin_token")
    used_for = 0.0
    while used_for + IDLE - 1 < ABSOLUTE:  # used every half hour: alive until ABSOLUTE after login
        clock.advance(IDLE - 1)
        used_for += IDLE - 1
        assert sessions.find(kept.id) is kept
    clock.advance(IDLE - 1)
    assert sessions.find(kept.id) is None
    opened = [sessions.open(str(n), "admin_token") for n in range(MAX_SESSIONS + 1)]
    assert sessions.find(opened[0].id) is None
    assert sessions.find(opened[-1].id) is opened[-1]
    assert sessions.token_matches("t" * 24)
    assert not sessions.token_matches("t" * 23)


async def test_logins_are_audited_and_errors_carry_a_csp(console: tuple[str, Engine]) -> None:
    base, _ = console
    async with httpx.AsyncClient(base_url=base) as client:
        await client.post("/console/login", data={"operator": "mallory", "token": "guess-" * 5})
        await _login(client, "erin")
        missing = await client.get("/console/audit/nostream/1")
        assert missing.status_code == 404
        assert missing.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        for _ in range(100):
            page = await client.get("/console/audit", params={"since": "1h", "operation": "console.login"})
            rows = re.findall(r"<tr class=\"allowed\">(.*?)</tr>", page.text, re.S)
            if len(rows) == 2:
                break
            await asyncio.sleep(0.05)
        assert any("<td>mallory</td>" in row and "<td>401</td>" in row for row in rows)
        assert any("<td>erin</td>" in row and "<td>200</td>" in row for row in rows)
