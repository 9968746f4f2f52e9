"""Detection and response end to end: attacks through a running gateway raise an alert, a ban and
an incident; a second gateway process sharing Redis honours the ban; the webhook arrives signed;
what is stored is sealed; metrics count it all."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from starlette.applications import Starlette
from starlette.requests import Request as StarletteRequest
from starlette.responses import JSONResponse
from starlette.routing import Route
from typer.testing import CliRunner

from bastion.cli import app
from bastion.config.detect import DetectorConfig
from bastion.config.secrets import SecretsConfig
from bastion.crypto.keyring import Keyring
from bastion.crypto.sealing import Sealer, SealError
from bastion.detect.detectors import EVIDENCE, STEPS, Detector, traits
from tests.servers import RedisServer, ThreadedUvicorn, bastion_process, free_port, listening_port

SECRET = "detect-test-secret-0123456789-abcdefghijkl"
HOOK_SECRET = "hook-secret-0123456789abcdef"


class Hook:
    """A webhook receiver on loopback that checks signatures."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.verified: list[bool] = []

        async def receive(request: StarletteRequest) -> JSONResponse:
            body = await request.body()
            timestamp = request.headers["x-bastion-timestamp"]
            expected = (
                "sha256=" + hmac.new(HOOK_SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            )
            self.verified.append(hmac.compare_digest(expected, request.headers.get("x-bastion-signature", "")))
            self.received.append(await request.json())
            return JSONResponse({"ok": True})

        self.app = Starlette(routes=[Route("/hook", receive, methods=["POST"])])


def write_policy(  # noqa: PLR0913  the policy's moving parts: upstream, Redis, webhook and admin port
    tmp_path: Path,
    upstream: str,
    redis_url: str,
    hook_url: str,
    admin_port: int,
    name: str = "bastion.yaml",
    prefix: str = "",
) -> Path:
    doc = {
        "listen": {"host": "127.0.0.1", "port": 0},
        "upstream": {"url": upstream},
        "routes": [{"path": "/**", "methods": ["*"]}],
        "store": {"path": str(tmp_path / "bastion.db")},
        "secrets": {"key": SECRET},
        "state": {"backend": "redis", "redis": {"url": redis_url, "prefix": prefix}, "sync_interval": "200ms"},
        "authn": {"methods": [{"api_key": {"environment": "live"}}], "brute_force": None},
        "audit": {"flush_interval": "50ms"},
        "admin": {"host": "127.0.0.1", "port": admin_port},
        "detect": {
            "detectors": [
                {"id": "brute-force", "kind": "brute_force", "window": "60s", "threshold": 5,
                 "respond": ["incident", "ban", "notify"]},
            ],
            "webhooks": [{"url": hook_url, "secret": HOOK_SECRET, "attempts": 2}],
            "bans": {"durations": ["30s", "5m"]},
        },
    }  # fmt: skip
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc))
    return path


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result.output


async def wait_for(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_brute_force_is_detected_banned_everywhere_notified_and_recorded(
    tmp_path: Path, upstream: ThreadedUvicorn, redis_server: RedisServer
) -> None:
    hook = Hook()
    with ThreadedUvicorn(hook.app) as receiver, contextlib.ExitStack() as stack:
        admin_port = free_port()
        prefix = f"d{time.monotonic_ns()}"
        hook_url = f"{receiver.url}/hook"
        path = write_policy(tmp_path, upstream.url, redis_server.url, hook_url, admin_port, prefix=prefix)
        other = write_policy(tmp_path, upstream.url, redis_server.url, hook_url, free_port(), "other.yaml", prefix)
        # each binds a port of its own choosing and says which: a port picked free beforehand can be
        # taken before the server binds it (nothing ever listened there in one run of the suite)
        processes = [stack.enter_context(bastion_process(policy, "--port", "0")) for policy in (path, other)]
        ports = [listening_port(process) for process in processes]
        asyncio.run(_scenario(ports, admin_port, path, hook))


async def _scenario(ports: list[int], admin_port: int, path: Path, hook: Hook) -> None:
    first, second = (f"http://127.0.0.1:{port}" for port in ports)
    async with httpx.AsyncClient(timeout=5) as client:
        assert (await client.get(f"{second}/items")).status_code == 401  # no key: refused, not banned
        for _ in range(6):
            await client.get(f"{first}/items", headers={"x-api-key": "bst_live_aaaaaaaaaaaa_" + "b" * 43})

        async def banned_on(base: str) -> bool:
            response = await client.get(f"{base}/items")
            return response.status_code == 403

        await wait_for(lambda: banned_on(first))
        await wait_for(lambda: banned_on(second))  # the other process, through Redis and the store
        refusal = await client.get(f"{second}/items")
        assert refusal.headers["content-type"].startswith("application/problem+json")

        await wait_for(_async(lambda: bool(hook.received)))
        assert hook.verified == [True] * len(hook.received)
        payload = hook.received[0]
        assert payload["detector"] == "brute-force"
        assert payload["offender"] == {"kind": "ip", "value": "127.0.0.1"}
        assert len(payload["evidence"]) == 5

        listed = cli("incidents", "list", "--json", "--config", str(path)).splitlines()
        incidents = [json.loads(line) for line in listed]
        assert [i["title"] for i in incidents] == ["5 authentication failures in 60s from ip 127.0.0.1"]
        incident_id = incidents[0]["id"]
        shown = cli("incidents", "show", incident_id, "--config", str(path))
        assert "responses: ban:1:30s notify" in shown
        assert "evidence (stream:event)" in shown

        bans = [json.loads(line) for line in cli("bans", "list", "--json", "--config", str(path)).splitlines()]
        assert [(b["kind"], b["value"], b["state"], b["offence"]) for b in bans] == [("ip", "127.0.0.1", "active", 1)]

        metrics = (await client.get(f"http://127.0.0.1:{admin_port}/metrics")).text
        assert 'bastion_blocks_total{category="ban",guard="bans"}' in metrics
        assert "bastion_alerts 1.0" in metrics

        assert "ban 1 lifted" in await asyncio.to_thread(cli, "bans", "lift", "1", "--config", str(path))

        async def open_on(base: str) -> bool:
            return (await client.get(f"{base}/items")).status_code == 401

        await wait_for(lambda: open_on(first))
        await wait_for(lambda: open_on(second))
        assert "resolved" in cli(
            "incidents", "resolve", incident_id, "--note", "blocked at the edge", "--config", str(path)
        )

    raw = sqlite3.connect(path.parent / "bastion.db")
    stored = " ".join(str(v) for row in raw.execute("SELECT * FROM alerts").fetchall() for v in row)
    assert "127.0.0.1" not in stored
    assert "authentication failures" not in stored


def _async(check: Any) -> Any:
    async def predicate() -> bool:
        return bool(check())

    return predicate


def test_sealed_values_open_after_a_key_rotation() -> None:
    old = Sealer(Keyring(SecretsConfig(key=SECRET)))
    sealed = old.seal(b"10.1.2.3", b"ban-42")
    rotated = Sealer(Keyring(SecretsConfig(key="a-brand-new-secret-0123456789-abcdefghij", previous=[SECRET])))
    assert rotated.open(sealed, b"ban-42") == b"10.1.2.3"
    assert rotated.seal(b"x").split(".")[1] != sealed.split(".")[1]  # new values use the new secret
    forgotten = Sealer(Keyring(SecretsConfig(key="a-brand-new-secret-0123456789-abcdefghij")))
    with contextlib.suppress(SealError):
        forgotten.open(sealed, b"ban-42")
        raise AssertionError("a dropped secret must not open")
    try:
        rotated.open(sealed, b"ban-43")
        raise AssertionError("associated data binds a value to its record")
    except SealError:
        pass


def event(ts: float, client: str = "10.0.0.1", **fields: Any) -> dict[str, Any]:
    return {"ts": ts, "client": client, "status": 200, "rules": [], "path": "/", "subject": None, "key_id": None,
            "params": None, "route": None, **fields}  # fmt: skip


def test_detectors_count_within_their_window_and_keep_bounded_memory() -> None:
    failures = Detector(DetectorConfig(id="bf", kind="brute_force", window=10, threshold=3), max_keys=100)
    now = 1000.0
    assert failures.observe(event(now, status=401), "s:1") is None
    assert failures.observe(event(now + 20, status=401), "s:2") is None  # the first fell out of the window
    assert failures.observe(event(now + 21, status=401), "s:3") is None
    alert = failures.observe(event(now + 22, status=401), "s:4")
    assert alert is not None
    assert alert.evidence == ["s:2", "s:3", "s:4"]
    assert alert.offender == "10.0.0.1"
    assert failures.observe(event(now + 23, status=401), "s:5") is None  # quiet for one window

    stuffing = Detector(DetectorConfig(id="cs", kind="stuffing_accounts", window=60, threshold=3), max_keys=100)
    assert stuffing.observe(event(now, status=401, account="a"), "s:1") is None
    assert stuffing.observe(event(now, status=401, account="a"), "s:2") is None  # same account again
    assert stuffing.observe(event(now, status=401, account="b"), "s:3") is None
    assert stuffing.observe(event(now, status=401, account="c"), "s:4") is not None

    sweep = Detector(DetectorConfig(id="sw", kind="object_sweep", window=60, threshold=4), max_keys=100)
    hits = [
        sweep.observe(event(now, subject="u1", route="/orders/{id}", params={"id": str(i)}), f"s:{i}") for i in range(4)
    ]
    assert hits[-1] is not None
    assert hits[-1].offender_kind == "subject"

    bounded = Detector(DetectorConfig(id="b", kind="error_burst", window=60, threshold=5), max_keys=100)
    for i in range(10_000):
        bounded.observe(event(now, client=f"10.{i // 256}.{i % 256}.1", status=404), f"s:{i}")
    assert len(bounded._windows) == 100


def test_each_detector_counts_only_the_events_of_its_trait() -> None:
    """The traits are read once per event; each kind still counts exactly the events it did when each
    detector judged every event itself."""
    rule = lambda guard, category: {"guard": guard, "category": category, "rule": f"{guard}.x"}  # noqa: E731
    samples = {
        "served": event(1.0),
        "served, with an object id": event(1.0, params={"id": "7"}, route="/orders/{id}"),
        "bad password": event(1.0, status=401, account="alice"),
        "unknown key": event(1.0, status=401),
        "throttled login": event(1.0, status=429, rules=[rule("authn", "brute_force")], account="bob"),
        "not found": event(1.0, status=404),
        "method not allowed": event(1.0, status=405, params={"id": "7"}),
        "server error with an id": event(1.0, status=502, params={"id": "7"}),
        "someone else's order": event(1.0, status=404, rules=[rule("authz", "bola")], params={"id": "8"}),
        "injection": event(1.0, status=403, rules=[rule("waf", "sqli")]),
        "injection, monitored": event(1.0, status=200, rules=[rule("waf", "xss")]),
        "smuggling": event(1.0, status=400, rules=[rule("ingress", "smuggling")]),
    }
    expected = {
        "brute_force": {"bad password", "unknown key", "throttled login"},
        "stuffing_accounts": {"bad password", "throttled login"},
        "stuffing_clients": {"bad password", "throttled login"},
        "error_burst": {"not found", "method not allowed", "someone else's order"},
        "path_scan": set(samples) - {"served", "served, with an object id", "injection, monitored"},
        "object_sweep": {"served, with an object id", "method not allowed", "someone else's order"},
        "bola_refusals": {"someone else's order"},
        "waf_burst": {"injection", "injection, monitored"},
        "smuggling": {"smuggling"},
        "volume": set(samples),
    }
    for kind, counted in expected.items():
        detector = Detector(DetectorConfig(id="d", kind=kind, window=60, threshold=1), max_keys=100)
        raised = {  # one client each: an alert quiets its offender for a window
            name
            for i, (name, sample) in enumerate(samples.items())
            if detector.observe({**sample, "client": f"10.0.0.{i}"}, "s:1") is not None
        }
        assert raised == counted, kind
        detector = Detector(DetectorConfig(id="d", kind=kind, window=60, threshold=1), max_keys=100)
        by_traits = {name for name, sample in samples.items() if detector.trait in traits(sample)}
        assert by_traits == counted, kind


def test_a_counting_window_costs_the_same_whatever_its_threshold() -> None:
    """The volume detector's 6,000 requests a minute: counts per step, not 6,000 timestamps."""
    volume = Detector(DetectorConfig(id="v", kind="volume", window=60, threshold=6000), max_keys=100)
    now = 1000.0
    alerts = [volume.observe(event(now + i * 0.005, subject="u1"), f"s:{i}") for i in range(6000)]
    assert alerts[:-1] == [None] * 5999  # 6,000 in 30 s: the 6,000th makes the alert
    alert = alerts[-1]
    assert alert is not None
    assert alert.count == 6000
    assert alert.evidence == [f"s:{i}" for i in range(6000 - EVIDENCE, 6000)]  # the most recent ones
    busy = Detector(DetectorConfig(id="v2", kind="volume", window=60, threshold=10**6), max_keys=100)
    for i in range(20_000):
        busy.observe(event(now + i * 0.01, subject="u1"), f"s:{i}")
    window = busy._windows.get("subject:u1")
    assert window is not None
    assert len(window._steps) <= STEPS + 1
    assert len(window._recent) == EVIDENCE


def test_a_counting_window_forgets_what_is_older_than_the_window_and_one_step() -> None:
    step = 60 / STEPS
    failures = Detector(DetectorConfig(id="bf", kind="brute_force", window=60, threshold=3), max_keys=100)
    now = 7000 * step  # a step boundary
    assert failures.observe(event(now, status=401), "s:1") is None
    assert failures.observe(event(now + 60 + step, status=401), "s:2") is None  # s:1 is out: a step older
    assert failures.observe(event(now + 60 + step, status=401), "s:3") is None
    alert = failures.observe(event(now + 61 + step, status=401), "s:4")
    assert alert is not None
    assert alert.evidence == ["s:2", "s:3", "s:4"]
    late = Detector(DetectorConfig(id="bf2", kind="brute_force", window=60, threshold=3), max_keys=100)
    assert late.observe(event(now, status=401), "s:1") is None
    assert late.observe(event(now + 30, status=401), "s:2") is None
    alert = late.observe(event(now + 60 + step / 2, status=401), "s:3")  # s:1's step still overlaps
    assert alert is not None
    assert alert.evidence == ["s:1", "s:2", "s:3"]
