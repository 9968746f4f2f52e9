"""Running as a fleet: `--workers N` sharing Redis (limits, bans and revocations hold across workers),
the admin API, hot reload under load (SIGHUP, admin API, `bastion reload`), and `bastion scan` of the
admin API itself."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

from bastion.scan.findings import Severity
from tests.scan_targets import scan
from tests.servers import (
    RedisServer,
    ThreadedUvicorn,
    bastion_process,
    free_consecutive_ports,
    listening_and_admin_ports,
    listening_port,
    wait_port,
)

SECRET = "fleet-tests-secret-0123456789abcdef0123456789"
TOKEN = "fleet-admin-token-0123456789abcdef"
ADMIN = {"authorization": f"Bearer {TOKEN}"}


def fleet_policy(tmp_path: Path, upstream: str, *, admin_port: int, redis: str | None, **extra: Any) -> Path:
    """Two workers by default; the traffic port is the server's choice (`listening_port`)."""
    doc: dict[str, Any] = {
        "listen": {"host": "127.0.0.1", "port": 0, "timeouts": {"drain": "3s"}, "trusted_proxies": ["127.0.0.1/32"]},
        "workers": 2,
        "upstream": {"url": upstream},
        "routes": [
            {"path": "/public/**", "methods": ["GET"]},
            {"path": "/slow", "methods": ["GET"]},
            {"path": "/items", "methods": ["GET", "POST"]},
        ],
        "store": {"path": str(tmp_path / "bastion.db")},
        "secrets": {"key": SECRET},
        "authn": {"methods": [{"api_key": {"environment": "live", "refresh": "200ms"}}], "brute_force": None,
                  "public": ["GET /public/**", "GET /slow"]},
        "ratelimit": {"limits": [{"id": "burst", "key": ["header.x-client"], "paths": ["/public/limited"],
                                  "rate": "1/min", "burst": 20}]},
        "audit": {"flush_interval": "50ms"},
        "admin": {"host": "127.0.0.1", "port": admin_port, "token": TOKEN},
        "detect": {"detectors": [{"id": "brute-force", "kind": "brute_force", "window": "60s", "threshold": 5,
                                  "respond": ["incident", "ban"]}],
                   "bans": {"durations": ["10m"]}},
    }  # fmt: skip
    if redis is not None:
        doc["state"] = {"backend": "redis", "redis": {"url": redis, "prefix": f"f{time.monotonic_ns()}"},
                        "sync_interval": "200ms"}  # fmt: skip
    doc.update(extra)
    path = tmp_path / "bastion.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def fresh(url: str, **kwargs: Any) -> httpx.Response:
    """One request on a new connection: the kernel spreads new connections over the workers."""
    with httpx.Client(timeout=10) as client:
        return client.get(url, **kwargs)


def many(url: str, count: int, **kwargs: Any) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda _: fresh(url, **kwargs), range(count)))


def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True, text=True, timeout=60)


def test_two_workers_share_limits_bans_and_revocations_through_redis(
    tmp_path: Path, upstream: ThreadedUvicorn, redis_server: RedisServer
) -> None:
    # worker n's admin listener is on admin.port + n, asked by its slot below: these are picked beforehand
    admin_port = free_consecutive_ports(2)
    policy = fleet_policy(tmp_path, upstream.url, admin_port=admin_port, redis=redis_server.url)
    admins = [f"http://127.0.0.1:{admin_port + n}" for n in range(2)]
    with bastion_process(policy) as process:
        base = f"http://127.0.0.1:{listening_port(process, timeout=30)}"
        for admin in admins:
            wait_port(int(admin.rsplit(":", 1)[1]), timeout=30)

        # Both workers answer: each hands out request ids with its own prefix.
        served = many(f"{base}/public/ok", 40)
        assert {r.status_code for r in served} == {200}
        assert len({r.headers["x-request-id"][:12] for r in served}) == 2

        # One limit across the workers: a burst of 20 admits exactly 20 of 60.
        limited = Counter(r.status_code for r in many(f"{base}/public/limited", 60, headers={"x-client": "rl-1"}))
        assert limited == {200: 20, 429: 40}

        # The admin API of each worker: health open, the rest behind the token.
        for index, admin in enumerate(admins):
            assert fresh(f"{admin}/healthz").status_code == 200
            assert fresh(f"{admin}/readyz").json()["ready"] is True
            assert fresh(f"{admin}/v1/config").status_code == 401
            config = fresh(f"{admin}/v1/config", headers=ADMIN).json()
            assert (config["worker"], config["workers"], config["state"]) == (index, 2, "redis")

        # Brute force on one worker bans the client in both; the admin API lists and lifts the ban.
        with httpx.Client(timeout=10) as one_connection:
            for _ in range(6):
                one_connection.get(f"{base}/items", headers={"x-api-key": "bst_live_aaaaaaaaaaaa_" + "b" * 43})
        eventually(lambda: {r.status_code for r in many(f"{base}/public/ok", 10)} == {403})
        bans = fresh(f"{admins[1]}/v1/bans", headers=ADMIN).json()
        assert [(b["kind"], b["value"], b["state"]) for b in bans] == [("ip", "127.0.0.1", "active")]
        incidents = fresh(f"{admins[1]}/v1/incidents", headers=ADMIN).json()
        assert len(incidents) == 1
        incident = fresh(f"{admins[0]}/v1/incidents/{incidents[0]['id']}", headers=ADMIN).json()
        assert incident["alerts"][0]["detector"] == "brute-force"
        assert httpx.delete(f"{admins[0]}/v1/bans/{bans[0]['id']}", headers=ADMIN).status_code == 200
        eventually(lambda: {r.status_code for r in many(f"{base}/public/ok", 10)} == {200})
        resolved = httpx.post(f"{admins[1]}/v1/incidents/{incident['id']}/resolve", json={"note": "a test"},
                              headers=ADMIN)  # fmt: skip
        assert resolved.status_code == 200
        assert fresh(f"{admins[0]}/v1/incidents", headers=ADMIN).json() == []
        # A revocation through one worker's admin API holds in both (last: its 401s count as failures).
        key = cli("keys", "create", "--config", str(policy), "--name", "svc", "--role", "user").stdout.strip()
        pollers = iter(range(1, 250, 10))

        def known_everywhere() -> bool:
            # workers read new keys from the store every api_key.refresh (200 ms here); a poll that comes
            # too early is refused, so each comes from its own addresses and no refusals add up to a ban
            start = next(pollers)
            with ThreadPoolExecutor(max_workers=10) as pool:
                answers = pool.map(
                    lambda n: fresh(f"{base}/items", headers={"x-api-key": key, "x-forwarded-for": f"203.0.113.{n}"}),
                    range(start, start + 10),
                )
                return {r.status_code for r in answers} == {200}

        eventually(known_everywhere)
        revoked = httpx.post(f"{admins[0]}/v1/revocations", json={"kind": "key", "value": key.split("_")[2]},
                             headers=ADMIN)  # fmt: skip
        assert revoked.status_code == 201

        addresses = iter(range(1, 250, 10))

        def refused_everywhere() -> bool:
            # each from its own client address, so these refusals do not add up to a brute-force ban
            start = next(addresses)
            with ThreadPoolExecutor(max_workers=10) as pool:
                answers = pool.map(
                    lambda n: fresh(f"{base}/items", headers={"x-api-key": key, "x-forwarded-for": f"198.51.100.{n}"}),
                    range(start, start + 10),
                )
                return {r.status_code for r in answers} == {401}

        eventually(refused_everywhere)

        assert "bastion_requests_total" in fresh(f"{admins[0]}/metrics", headers=ADMIN).text


def test_admin_api_refuses_bad_input_with_problems(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    policy = fleet_policy(tmp_path, upstream.url, admin_port=0, redis=None, workers=1)
    with bastion_process(policy) as process:
        _, admin_port = listening_and_admin_ports(process, timeout=30)
        admin = f"http://127.0.0.1:{admin_port}"
        cases = [
            httpx.get(f"{admin}/v1/bans", headers={"authorization": "Bearer wrong-token-wrong-token-wrong"}),
            httpx.post(f"{admin}/v1/revocations", content=b"{", headers={**ADMIN, "content-type": "application/json"}),
            httpx.post(f"{admin}/v1/revocations", json={"kind": "passport", "value": "x"}, headers=ADMIN),
            httpx.post(f"{admin}/v1/revocations", json={"kind": "key", "value": "nosuchkey"}, headers=ADMIN),
            httpx.delete(f"{admin}/v1/bans/999", headers=ADMIN),
            httpx.put(f"{admin}/v1/bans", headers=ADMIN),
            httpx.get(f"{admin}/v1/incidents?status=weird", headers=ADMIN),
            httpx.get(f"{admin}/nowhere", headers=ADMIN),
        ]
        assert [r.status_code for r in cases] == [401, 400, 422, 404, 404, 405, 400, 404]
        assert all(r.headers["content-type"] == "application/problem+json" for r in cases)
        assert cases[5].headers["allow"] == "GET"
        revoked = httpx.post(f"{admin}/v1/revocations", json={"kind": "token", "value": "a" * 100, "ttl": 60},
                             headers=ADMIN)  # fmt: skip
        assert revoked.status_code == 201
        assert revoked.json()["value"] != "a" * 100  # a long token is stored by its hash, never itself
        assert TOKEN not in httpx.get(f"{admin}/v1/config", headers=ADMIN).text


def test_scan_of_the_admin_api_finds_nothing_high(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    policy = fleet_policy(tmp_path, upstream.url, admin_port=0, redis=None, workers=1)
    auth = tmp_path / "admin-auth.yaml"
    auth.write_text(yaml.safe_dump({"users": [{"name": "operator", "role": "admin", "headers": ADMIN}],
                                    "admin_roles": ["admin"]}))  # fmt: skip
    with bastion_process(policy) as process:
        _, admin_port = listening_and_admin_ports(process, timeout=30)
        admin = f"http://127.0.0.1:{admin_port}"
        result = scan(admin, f"{admin}/openapi.json", auth, rate=200, budget=3000)
    high = [(f.check_id, f.operation, f.detail) for f in result.findings if f.severity >= Severity.HIGH]
    assert high == []
    assert {run.info.id for run in result.checks if run.status == "ran"} >= {
        "authn.missing", "fuzz.server-error", "methods.undeclared", "input.tampering", "exposure.stack-trace"
    }  # fmt: skip


def test_hot_reload_under_load_changes_the_policy_without_failing_a_request(
    tmp_path: Path, upstream: ThreadedUvicorn
) -> None:
    admin_port = free_consecutive_ports(2)  # `bastion reload` finds worker n's admin listener on admin.port + n
    policy = fleet_policy(tmp_path, upstream.url, admin_port=admin_port, redis=None)
    admins = [f"http://127.0.0.1:{admin_port + n}" for n in range(2)]
    doc = yaml.safe_load(policy.read_text())
    with bastion_process(policy) as process:
        base = f"http://127.0.0.1:{listening_port(process, timeout=30)}"
        for admin in admins:
            wait_port(int(admin.rsplit(":", 1)[1]), timeout=30)
        first_hash = fresh(f"{admins[0]}/v1/config", headers=ADMIN).json()["config"]
        statuses: Counter[int] = Counter()
        stop = threading.Event()

        def load() -> None:
            with httpx.Client(timeout=10, limits=httpx.Limits(max_keepalive_connections=2)) as client:
                while not stop.is_set():
                    statuses[client.get(f"{base}/public/ok").status_code] += 1

        threads = [threading.Thread(target=load) for _ in range(6)]
        for thread in threads:
            thread.start()
        try:
            # A request in flight when the policy changes finishes under the policy it started with.
            with ThreadPoolExecutor(max_workers=1) as pool:
                slow = pool.submit(fresh, f"{base}/slow", params={"delay": "1.5"})
                time.sleep(0.3)
                doc["routes"] = [r for r in doc["routes"] if r["path"] != "/slow"]
                doc["authn"]["public"] = ["GET /public/**"]
                policy.write_text(yaml.safe_dump(doc))
                reloaded = cli("reload", "--config", str(policy))
                assert reloaded.returncode == 0, reloaded.stderr
                assert slow.result().status_code == 200
            assert {r.status_code for r in many(f"{base}/slow", 6)} == {404}

            # A bad policy is refused by every worker, the running one stays.
            policy.write_text(policy.read_text() + "\nnot_a_section: true\n")
            refused = cli("reload", "--config", str(policy))
            assert refused.returncode == 2  # the command checks the file first and sends nothing
            assert "not_a_section" in refused.stderr
            for admin in admins:  # asked anyway, each worker refuses it and keeps its policy
                answer = httpx.post(f"{admin}/v1/reload", headers=ADMIN, timeout=30)
                assert answer.status_code == 422
                assert "not_a_section" in answer.json()["detail"]
            hashes = {fresh(f"{a}/v1/config", headers=ADMIN).json()["config"] for a in admins}
            assert len(hashes) == 1
            assert first_hash not in hashes

            # SIGHUP to the supervisor reloads every worker.
            doc["ratelimit"]["limits"][0]["burst"] = 30
            policy.write_text(yaml.safe_dump(doc))
            process.send_signal(signal.SIGHUP)
            eventually(
                lambda: len({fresh(f"{a}/v1/config", headers=ADMIN).json()["config"] for a in admins} - hashes) == 1
            )
            assert all(fresh(f"{a}/v1/config", headers=ADMIN).json()["reloads"] == 2 for a in admins)
            time.sleep(0.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
    assert statuses[200] > 100
    assert set(statuses) == {200}, statuses
