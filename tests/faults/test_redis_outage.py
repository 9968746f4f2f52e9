"""Promises when Redis, the shared state, fails, comes back, and comes back empty.

- A rate limit fails open or closed exactly as `state.redis.on_failure` says: `closed` answers 503
  problem+json, `open` decides with a per-process limiter; neither waits on the missing Redis.
- Once Redis answers again, every worker uses it within 1 s (restarted with its data or empty); no
  worker stays wedged.
- A ban and a revocation that one host knows from its own store and another host only through
  Redis stay enforced on the second host while Redis is out, and after Redis restarts empty.

Two gateways ("hosts", two workers each, a store each) share one Redis: `closed` bans a client and
revokes a token; `open` learns both through Redis. Outages last BASTION_FAULT_REDIS_OUTAGE seconds
(CI: 2; nothing here depends on the length: a worker notices at its first failed command).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from pathlib import Path

import httpx
import redis
from joserfc import jwt
from joserfc.jwk import OctKey

from tests.faults.processes import ADMIN, Answer, Gateway, Load, RestartableRedis, eventually, seconds

OUTAGE = seconds("BASTION_FAULT_REDIS_OUTAGE", 2)
JWT_SECRET = "fault-tests-jwt-secret-0123456789abcdef0123"
ISSUER = "https://id.fault.test/"
BANNED = "198.51.100.7"
UNAVAILABLE = "urn:bastion:problem:unavailable"


def host(tmp_path: Path, name: str, upstream: str, redis_url: str, on_failure: str) -> Gateway:
    return Gateway(
        tmp_path / name,
        upstream,
        workers=2,
        listen={"trusted_proxies": ["127.0.0.1/32"]},
        routes=[{"path": "/limited/**", "methods": ["GET"]}, {"path": "/public/**", "methods": ["GET"]},
                {"path": "/items", "methods": ["GET"]}],
        authn={"methods": [{"jwt": {"issuer": ISSUER, "algorithms": ["HS256"], "secret": JWT_SECRET}},
                           {"api_key": {"environment": "live"}}],
               "brute_force": None, "public": ["GET /limited/**", "GET /public/**"]},
        ratelimit={"limits": [{"id": "shared", "key": ["header.x-client"], "paths": ["/limited/**"],
                               "rate": "1000/s", "burst": 1000}]},
        state={"backend": "redis", "redis": {"url": redis_url, "prefix": "faults", "on_failure": on_failure},
               "sync_interval": "200ms"},
        detect={"detectors": [{"id": "brute-force", "kind": "brute_force", "window": "60s", "threshold": 5,
                               "respond": ["ban"]}], "bans": {"durations": ["10m"]}},
    )  # fmt: skip


def token() -> str:
    claims = {"iss": ISSUER, "sub": "user-7", "exp": int(time.time()) + 3600, "jti": "fault-jti-1"}
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(JWT_SECRET))


def status(gateway: Gateway, path: str, **headers: str) -> int:
    with httpx.Client(timeout=10) as client:  # a new connection: the kernel picks the worker
        return client.get(gateway.url + path, headers=headers).status_code


_ADDRESSES = itertools.count(1)


def enforced_everywhere(gateway: Gateway, bearer: str) -> bool:
    """The ban and the revocation hold on every worker of `gateway` (new connections, several tries).
    Each revoked try comes from an address of its own: its 401s must not add up to a ban."""
    banned = {status(gateway, "/public/x", **{"x-forwarded-for": BANNED}) for _ in range(4)}
    revoked = {
        status(gateway, "/items", authorization=f"Bearer {bearer}", **{"x-forwarded-for": _address()}) for _ in range(6)
    }
    return banned == {403} and revoked == {401}


def _address() -> str:
    n = next(_ADDRESSES)
    return f"203.0.{113 + n // 250}.{n % 250 + 1}"


def recovery_per_worker(answers: list[Answer], since: float) -> dict[str, float]:
    """Seconds from `since` to each worker's first 200 (workers told apart by their request-id prefix)."""
    first: dict[str, float] = defaultdict(lambda: float("inf"))
    for answer in answers:
        if answer.status == 200 and answer.sent >= since:
            worker = answer.request_id[:12]
            first[worker] = min(first[worker], answer.received - since)
    return dict(first)


def outage(  # noqa: PLR0913  the two gateways and their loads, compared through one outage
    server: RestartableRedis, keep: bool, closed: Gateway, opened: Gateway, on_closed: Load, on_open: Load, bearer: str
) -> float:
    """Stop Redis (keeping its data or not) under load, check both hosts, start it: seconds until every
    worker of the fail-closed host answered 200 again."""
    stopped = time.monotonic()
    server.stop(keep=keep)
    eventually(lambda: any(a.status == 503 and a.sent > stopped for a in on_closed.answers), 5, "fail closed")
    time.sleep(OUTAGE)  # the outage itself
    during = [a for a in on_closed.answers if a.sent > stopped + 0.3]
    assert {(a.status, a.rule) for a in during} == {(503, UNAVAILABLE)}
    assert {a.status for a in on_open.answers if a.sent > stopped + 0.3} == {200}
    assert max(a.elapsed for a in during) < 1.0, "no request waits on the missing Redis"
    assert status(closed, "/public/ok") == 200, "what no limit covers is served"
    assert enforced_everywhere(opened, bearer), "kept while Redis is out"
    server.start()
    up = time.monotonic()

    def both_workers() -> dict[str, float] | None:
        workers = recovery_per_worker(on_closed.answers, up)
        return workers if len(workers) == 2 else None

    workers = eventually(both_workers, 10, "both workers use Redis again")
    assert max(workers.values()) < 1.0, workers
    assert enforced_everywhere(opened, bearer), "no forgetting window after Redis is back"
    return float(max(workers.values()))


def test_redis_outage_restart_and_empty_restart(
    tmp_path: Path, upstream_url: str, redis_restartable: RestartableRedis
) -> None:
    closed = host(tmp_path, "closed", upstream_url, redis_restartable.url, "closed")
    opened = host(tmp_path, "open", upstream_url, redis_restartable.url, "open")
    bearer = token()
    try:
        closed.start()
        opened.start()
        # a ban and a revocation made on `closed`, in its store: `open` knows them only through Redis
        with httpx.Client(timeout=10) as one_connection:  # one worker: detectors count per process
            for n in range(6):
                bad_key = {"x-api-key": f"bst_live_aaaaaaaaaaaa_{'b' * 42}{n}", "x-forwarded-for": BANNED}
                one_connection.get(f"{closed.url}/items", headers=bad_key)
        assert status(opened, "/items", authorization=f"Bearer {bearer}") == 200
        revoked = httpx.post(f"{closed.admin()}/v1/revocations", json={"kind": "token", "value": bearer},
                             headers=ADMIN, timeout=10)  # fmt: skip
        assert revoked.status_code == 201
        eventually(lambda: enforced_everywhere(opened, bearer), 10, "the other host enforces both")

        headers = {"x-client": "load", "connection": "close"}  # a connection per request reaches both workers
        with (
            Load(closed.url, 4, path=lambda n: f"/limited/{n}", headers=headers) as on_closed,
            Load(opened.url, 8, path=lambda n: f"/limited/{n}", headers=headers) as on_open,
        ):
            on_closed.wait_for(200, 30)
            on_open.wait_for(200, 30)
            timeline = {
                phase: outage(redis_restartable, keep, closed, opened, on_closed, on_open, bearer)
                for phase, keep in (("restart", True), ("empty restart", False))
            }
            client = redis.Redis(port=redis_restartable.port)
            lookup_members = client.zrange("{faults}:bans", 0, -1)
            revocations = client.zrange("{faults}:revocations", 0, -1)
        assert len(lookup_members) == 1, "the ban is back in Redis"
        assert any(m.startswith(b"token:") for m in revocations), "the revocation is back in Redis"
        assert not [a for a in on_closed.answers + on_open.answers if a.status == 0], "no connection failed"
        print(f"redis: fail closed answered 503 within {max(a.elapsed for a in on_closed.answers) * 1000:.0f} ms "
              f"at worst; every worker used Redis again {timeline['restart'] * 1000:.0f} ms after a restart and "
              f"{timeline['empty restart'] * 1000:.0f} ms after an empty restart; the ban and the revocation "
              "held on the other host throughout")  # fmt: skip
    finally:
        closed.stop()
        opened.stop()
