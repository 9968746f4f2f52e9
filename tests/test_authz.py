"""Authorization: a role x operation matrix over the demo API, BOLA, BFLA, mass assignment, lookups."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.requests import Request as StarletteRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bastion.config import load_config, parse_config
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request
from bastion.core.verdict import Decision
from bastion.engine import Engine
from bastion.guards.authz.expressions import ExpressionError, Facts, compile_condition
from bastion.guards.authz.guard import _may_name, _shortest_names
from tests.servers import ROOT, ThreadedUvicorn, bastion_process, free_port, listening_port, wait_port

ENV = {"DEMO_JWT_SECRET": "demo-jwt-secret-for-the-tests-0123456789", "BASTION_SECRET": "s" * 40}

ALICE = Identity("1", "jwt", roles=frozenset({"user"}))
BOB = Identity("2", "jwt", roles=frozenset({"user"}))
ADMIN = Identity("3", "jwt", roles=frozenset({"admin"}))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("shop") / "shop.db"
    old = {k: os.environ.get(k) for k in [*ENV, "DEMO_DB"]}
    os.environ.update({**ENV, "DEMO_DB": str(path)})
    from examples.demo_api.app import init_db  # noqa: PLC0415  the demo app reads DEMO_JWT_SECRET and DEMO_DB, set just above, when imported

    init_db()  # alice (1) owns order 1, bob (2) owns order 2
    yield path
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def demo_engine(demo_db: Path, tmp_path: Path) -> Engine:
    # validation off: these tests isolate authorization (the schema would refuse some bodies first)
    config = load_config(ROOT / "examples/demo.yaml", {"store.path": str(tmp_path / "b.db"), "validation.mode": "off"})
    return Engine(config)


async def decide(  # noqa: PLR0913  the request parts a test varies
    engine: Engine, method: str, path: str, identity: Identity | None, body: Any = None, query: str = ""
) -> Decision:
    headers = [("host", "shop.test")]
    raw = None
    if body is not None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers += [("content-type", "application/json"), ("content-length", str(len(raw)))]
    request = Request(method=method, path=path, query=query, headers=Headers(headers), client="10.1.1.1", body=raw)
    ctx = Context("authz-test-000001")
    ctx.identity = identity
    return await engine.pipeline.check(request, ctx, skip=frozenset({"authn"}))


def code(decision: Decision) -> int:
    return decision.refusal.status if decision.refusal else 200


# operation -> (method, path, body) and the expected status for anonymous, alice, admin
MATRIX: dict[str, tuple[str, str, Any, int, int, int]] = {
    "getHealth": ("GET", "/api/health", None, 200, 200, 200),
    "register": ("POST", "/api/register", {"username": "zed", "password": "long-password"}, 200, 200, 200),
    "login": ("POST", "/api/login", {"username": "a", "password": "b"}, 200, 200, 200),
    "getMe": ("GET", "/api/users/me", None, 403, 200, 200),
    "updateMe": ("PATCH", "/api/users/me", {"email": "a@b.c"}, 403, 200, 200),
    "getUser(own)": ("GET", "/api/users/1", None, 403, 200, 200),
    "getUser(other)": ("GET", "/api/users/2", None, 403, 403, 200),
    "listUserOrders(own)": ("GET", "/api/users/1/orders", None, 403, 200, 200),
    "listUserOrders(other)": ("GET", "/api/users/2/orders", None, 403, 403, 200),
    "createOrder": ("POST", "/api/orders", {"product_id": 1, "quantity": 1}, 403, 200, 200),
    "getOrder(own)": ("GET", "/api/orders/1", None, 403, 200, 200),
    "getOrder(other)": ("GET", "/api/orders/2", None, 403, 403, 200),
    "updateOrder(other)": ("PATCH", "/api/orders/2", {"note": "mine now"}, 403, 403, 200),
    "deleteOrder(other)": ("DELETE", "/api/orders/2", None, 403, 403, 200),
    "listProducts": ("GET", "/api/products", None, 200, 200, 200),
    "searchProducts": ("GET", "/api/products/search", None, 200, 200, 200),
    "getProduct": ("GET", "/api/products/1", None, 200, 200, 200),
    "adminListUsers": ("GET", "/api/admin/users", None, 403, 403, 200),
    "adminStats": ("GET", "/api/admin/stats", None, 403, 403, 200),
}


@pytest.mark.parametrize("case", list(MATRIX))
async def test_role_by_operation_matrix(demo_engine: Engine, case: str) -> None:
    method, path, body, anonymous, user, admin = MATRIX[case]
    got = [code(await decide(demo_engine, method, path, who, body)) for who in (None, ALICE, ADMIN)]
    assert got == [anonymous, user, admin], case


def test_matrix_covers_every_operation_of_the_spec(demo_engine: Engine) -> None:
    covered = {case.split("(")[0] for case in MATRIX}
    assert covered == set(demo_engine.router.operations)


async def test_bola_between_two_users_in_path_query_and_body(tmp_path: Path) -> None:
    config = {
        "routes": [
            {"path": "/users/{user_id}/files", "methods": ["GET"], "operation": "listFiles"},
            {"path": "/files", "methods": ["GET"], "operation": "searchFiles"},
            {"path": "/transfers", "methods": ["POST"], "operation": "createTransfer"},
        ],
        "store": {"path": str(tmp_path / "s.db")},
        "authn": {"methods": [{"jwt": {"issuer": "i", "algorithms": ["HS256"], "secret": "k" * 40}}]},
        "authz": {
            "rules": [
                {"id": "files", "allow": ["listFiles"], "roles": ["user"], "where": "path.user_id == identity.sub"},
                {"id": "search", "allow": ["searchFiles"], "roles": ["user"], "where": "query.owner == identity.sub"},
                {
                    "id": "transfer",
                    "allow": ["createTransfer"],
                    "roles": ["user"],
                    "where": "body.from_account == identity.sub",
                },
            ]
        },
    }
    engine = Engine(parse_config(yaml.safe_dump(config)))
    assert code(await decide(engine, "GET", "/users/1/files", ALICE)) == 200
    assert code(await decide(engine, "GET", "/users/2/files", ALICE)) == 403
    assert code(await decide(engine, "GET", "/files", ALICE, query="owner=1")) == 200
    assert code(await decide(engine, "GET", "/files", ALICE, query="owner=2")) == 403
    assert code(await decide(engine, "GET", "/files", ALICE)) == 403  # no owner named: never granted
    assert code(await decide(engine, "POST", "/transfers", ALICE, {"from_account": 1, "amount": 5})) == 200
    assert code(await decide(engine, "POST", "/transfers", ALICE, {"from_account": "2", "amount": 5})) == 403
    refusal = (await decide(engine, "POST", "/transfers", ALICE, {"from_account": 2})).refusal
    assert refusal is not None
    assert refusal.category == "bola"
    assert refusal.detail is None  # the client sees a bare 403: neither the rule nor the object


async def test_bfla_admin_operation_beats_a_generic_rule(tmp_path: Path) -> None:
    config = {
        "routes": [
            {"path": "/admin/purge", "methods": ["POST"], "operation": "purge"},
            {"path": "/things", "methods": ["GET"], "operation": "listThings", "tags": ["admin"]},
        ],
        "store": {"path": str(tmp_path / "s.db")},
        "authn": {"methods": [{"jwt": {"issuer": "i", "algorithms": ["HS256"], "secret": "k" * 40}}]},
        "authz": {
            "admin": {"paths": ["/admin/"], "roles": ["admin"]},
            "rules": [{"allow": "*", "roles": ["user", "admin"]}],
        },
    }
    engine = Engine(parse_config(yaml.safe_dump(config)))
    for method, path in (("POST", "/admin/purge"), ("GET", "/things")):
        refused = await decide(engine, method, path, ALICE)
        assert code(refused) == 403
        assert refused.refusal is not None
        assert refused.refusal.category == "bfla"
        assert code(await decide(engine, method, path, ADMIN)) == 200


@pytest.mark.parametrize(
    ("op", "method", "path", "body"),
    [
        ("register", "POST", "/api/register", {"username": "eve", "password": "long-password", "role": "admin"}),
        ("register", "POST", "/api/register", {"username": "eve", "password": "long-password", "is_admin": True}),
        ("updateMe", "PATCH", "/api/users/me", {"email": "e@x.y", "balance": 1_000_000}),
        ("updateMe", "PATCH", "/api/users/me", {"profile": {"Role": "admin"}}),
        # a key spelled with JSON escapes is the same key to the application's parser
        ("updateMe", "PATCH", "/api/users/me", b'{"profile": {"\\u0072\\u006fle": "owner"}}'),
        ("updateMe", "PATCH", "/api/users/me", b'{"items": [{"sku": "a"}, {"IS_ADMIN": true}]}'),
    ],
)
async def test_mass_assignment_is_refused(demo_engine: Engine, op: str, method: str, path: str, body: Any) -> None:
    who = None if op == "register" else ALICE
    refused = await decide(demo_engine, method, path, who, body)
    assert code(refused) == 403
    assert refused.refusal is not None
    assert refused.refusal.category == "bopla"
    assert code(await decide(demo_engine, method, path, ADMIN, body)) == 200


async def test_read_only_properties_from_the_spec(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/accounts": {
                "post": {
                    "operationId": "createAccount",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Account"}}}
                    },
                    "responses": {"201": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Account": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer", "readOnly": True},
                        "name": {"type": "string"},
                        "owner": {
                            "type": "object",
                            "properties": {"verified_at": {"type": "string", "readOnly": True}},
                        },
                    },
                }
            }
        },
    }
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
    config = {
        "openapi": "spec.yaml",
        "store": {"path": "s.db"},
        "authn": {"methods": [{"jwt": {"issuer": "i", "algorithms": ["HS256"], "secret": "k" * 40}}]},
        "authz": {
            "rules": [{"allow": "*", "roles": ["user"]}],
            "privileged_fields": {"fields": [], "roles": ["admin"]},
        },
    }
    engine = Engine(parse_config(yaml.safe_dump(config), base_dir=tmp_path))
    assert code(await decide(engine, "POST", "/accounts", ALICE, {"name": "n"})) == 200
    assert code(await decide(engine, "POST", "/accounts", ALICE, {"name": "n", "id": 7})) == 403
    nested = await decide(engine, "POST", "/accounts", ALICE, {"owner": {"verified_at": "now"}})
    assert code(nested) == 403
    assert nested.refusal is not None
    assert nested.refusal.location == "body/owner/verified_at"


async def test_monitor_mode_records_but_passes(demo_db: Path, tmp_path: Path) -> None:
    config = load_config(
        ROOT / "examples/demo.yaml",
        {"store.path": str(tmp_path / "b.db"), "authz.mode": "monitor", "validation.mode": "off"},
    )
    engine = Engine(config)
    decision = await decide(engine, "GET", "/api/users/2/orders", ALICE)
    assert decision.allowed
    assert [(f.guard, f.mode, f.verdict.rule) for f in decision.findings] == [
        ("authz", "monitor", "authz.object.own-user")
    ]


async def test_hide_existence_answers_404(demo_db: Path, tmp_path: Path) -> None:
    config = load_config(
        ROOT / "examples/demo.yaml", {"store.path": str(tmp_path / "b.db"), "authz.hide_existence": True}
    )
    engine = Engine(config)
    not_yours = await decide(engine, "GET", "/api/orders/2", ALICE)
    assert code(not_yours) == 404


async def test_every_allow_records_its_rule(demo_engine: Engine) -> None:
    request = Request(method="GET", path="/api/orders/1", query="", headers=Headers([("host", "a")]), client="1.1.1.1")
    ctx = Context("authz-test-000002")
    ctx.identity = ALICE
    assert (await demo_engine.pipeline.check(request, ctx, skip=frozenset({"authn"}))).allowed
    assert ctx.trace == [("authz", "own-orders", "rule own-orders grants getOrder")]


# -- lookups ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def owner_service() -> Iterator[tuple[str, dict[str, int]]]:
    state = {"calls": 0, "down": 0}
    owners = {"10": "1", "11": "2"}

    async def owner(request: StarletteRequest) -> Response:
        state["calls"] += 1
        if state["down"]:
            return Response("down", status_code=503)
        doc = request.path_params["doc"]
        if doc not in owners:
            return JSONResponse({"error": "no such doc"}, status_code=404)
        return JSONResponse({"doc": doc, "owner": {"id": owners[doc]}})

    with ThreadedUvicorn(Starlette(routes=[Route("/docs/{doc}/owner", owner)])) as server:
        yield server.url, state


@pytest.fixture
async def lookup_engine(owner_service: tuple[str, dict[str, int]], tmp_path: Path) -> AsyncIterator[Engine]:
    url, _ = owner_service
    db = tmp_path / "owners.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (id TEXT, owner TEXT)")
        conn.executemany("INSERT INTO notes VALUES (?, ?)", [("n1", "1"), ("n2", "2")])
    config = {
        "routes": [
            {"path": "/docs/{doc_id}", "methods": ["GET"], "operation": "getDoc"},
            {"path": "/notes/{note_id}", "methods": ["GET"], "operation": "getNote"},
        ],
        "store": {"path": str(tmp_path / "s.db")},
        "authn": {"methods": [{"jwt": {"issuer": "i", "algorithms": ["HS256"], "secret": "k" * 40}}]},
        "authz": {
            "lookups": {
                "doc_owner": {
                    "http": {"url": f"{url}/docs/{{path.doc_id}}/owner", "pointer": "/owner/id"},
                    "ttl": "1m",
                },
                "note_owner": {
                    "sql": {"dsn": f"sqlite://{db}", "query": "SELECT owner FROM notes WHERE id = :path.note_id"}
                },
            },
            "rules": [
                {"id": "docs", "allow": ["getDoc"], "roles": ["user"], "where": "lookup.doc_owner == identity.sub"},
                {"id": "notes", "allow": ["getNote"], "roles": ["user"], "where": "lookup.note_owner == identity.sub"},
            ],
        },
    }
    engine = Engine(parse_config(yaml.safe_dump(config)))
    yield engine
    await engine.stop()


async def test_http_ownership_lookup_is_cached(
    lookup_engine: Engine, owner_service: tuple[str, dict[str, int]]
) -> None:
    _, state = owner_service
    before = state["calls"]
    for _ in range(3):
        assert code(await decide(lookup_engine, "GET", "/docs/10", ALICE)) == 200
    assert code(await decide(lookup_engine, "GET", "/docs/11", ALICE)) == 403
    assert code(await decide(lookup_engine, "GET", "/docs/99", ALICE)) == 403  # no such object: same refusal
    assert state["calls"] - before == 3


async def test_sql_ownership_lookup(lookup_engine: Engine) -> None:
    assert code(await decide(lookup_engine, "GET", "/notes/n1", ALICE)) == 200
    assert code(await decide(lookup_engine, "GET", "/notes/n2", ALICE)) == 403
    assert code(await decide(lookup_engine, "GET", "/notes/n2", BOB)) == 200


async def test_lookup_failure_is_closed(lookup_engine: Engine, owner_service: tuple[str, dict[str, int]]) -> None:
    _, state = owner_service
    state["down"] = 1
    try:
        assert code(await decide(lookup_engine, "GET", "/docs/12", ALICE)) == 503
    finally:
        state["down"] = 0


# -- the where language ----------------------------------------------------------------------------------


def _facts(**kwargs: Any) -> Facts:
    return Facts(
        kwargs.get("path", {}),
        kwargs.get("query", {}),
        kwargs.get("body"),
        Headers([]),
        {},
        kwargs.get("identity", ALICE),
    )


@pytest.mark.parametrize(
    ("text", "facts", "expected"),
    [
        ("path.id == identity.sub", {"path": {"id": "1"}}, True),
        ("path.id != identity.sub", {"path": {"id": "1"}}, False),
        ("body.owner.id == identity.sub", {"body": {"owner": {"id": 1}}}, True),
        ("body.items.0 == 'a'", {"body": {"items": ["a"]}}, True),
        ("query.x == identity.sub or identity.sub == '1'", {}, True),
        ("not (path.id == identity.sub) and identity.sub == '1'", {"path": {"id": "2"}}, True),
        ("path.team in ['red', 'blue']", {"path": {"team": "blue"}}, True),
        ("'user' in identity.roles", {}, True),
        ("path.missing == body.missing", {}, False),
    ],
)
def test_conditions(text: str, facts: dict[str, Any], expected: bool) -> None:
    assert compile_condition(text)(_facts(**facts)) is expected


@pytest.mark.parametrize(
    "text",
    ["path.id ==", "os.system == 1", "path.id = 1", "(path.id == 1", "path.id == 1 junk", "__import__('os') == 1"],
)
def test_bad_conditions_are_refused_at_load(text: str) -> None:
    with pytest.raises(ExpressionError):
        compile_condition(text)


# -- explain and init ------------------------------------------------------------------------------------


def _bastion(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bastion", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **ENV, **env},
        cwd=ROOT,
    )


def test_explain_shows_the_rule(demo_db: Path) -> None:
    refused = _bastion(
        "explain",
        "--config",
        "examples/demo.yaml",
        "--as",
        "role=user,sub=42",
        "GET",
        "/api/users/7/orders",
        DEMO_DB=str(demo_db),
    )
    assert refused.returncode == 1
    assert "authz:     REFUSED 403 authz.object.own-user" in refused.stdout
    assert "path.user_id == identity.sub" in refused.stdout
    allowed = _bastion(
        "explain",
        "--config",
        "examples/demo.yaml",
        "--as",
        "role=user,sub=7",
        "GET",
        "/api/users/7/orders",
        DEMO_DB=str(demo_db),
    )
    assert allowed.returncode == 0
    assert "own-user" in allowed.stdout
    assert "decision:  allowed" in allowed.stdout
    mass = _bastion(
        "explain",
        "--config",
        "examples/demo.yaml",
        "POST",
        "/api/register",
        "--body",
        '{"username": "eve", "password": "long-password", "role": "admin"}',
        DEMO_DB=str(demo_db),
    )
    assert "authz.field.privileged" in mass.stdout


def test_init_writes_a_policy_that_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "bastion.yaml"
    result = _bastion("init", "--openapi", "examples/demo_api/openapi.yaml", "--output", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    policy = yaml.safe_load(text)
    rules = {r["id"]: r for r in policy["authz"]["rules"]}
    spec = yaml.safe_load((ROOT / "examples/demo_api/openapi.yaml").read_text())
    operations = {op["operationId"] for item in spec["paths"].values() for m, op in item.items() if m != "parameters"}
    public = {"getHealth", "register", "login", "listProducts", "searchProducts", "getProduct"}
    assert set(rules) == operations - public  # every protected operation is listed
    for name in public:
        assert f"# {name}: public" in text
    assert rules["adminStats"]["roles"] == ["admin"]
    assert '# where: "path.user_id == identity.sub"' in text
    assert '# where: "lookup.order_owner == identity.sub"' in text
    assert _bastion("check", "--config", str(out)).returncode == 0
    uncommented = text.replace('      # where: "path.user_id', '      where: "path.user_id')
    out.write_text(uncommented)
    assert _bastion("check", "--config", str(out)).returncode == 0  # the suggestions are valid when enabled


async def test_end_to_end_bola_through_the_gateway(demo_db: Path, tmp_path: Path) -> None:
    api_port = free_port()
    env = {**os.environ, **ENV, "DEMO_DB": str(demo_db), "BASTION_STATE_DIR": str(tmp_path)}
    api = subprocess.Popen(
        [sys.executable, "-m", "examples.demo_api", "--port", str(api_port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    try:
        wait_port(api_port)
        with bastion_process(
            ROOT / "examples/demo.yaml",
            "--port",
            "0",
            "--upstream",
            f"http://127.0.0.1:{api_port}",
            env=env,
        ) as process:
            gateway = f"http://127.0.0.1:{listening_port(process, timeout=10)}"
            async with httpx.AsyncClient(base_url=gateway) as client:
                login = await client.post("/api/login", json={"username": "alice", "password": "alice-password-1"})
                alice = {"authorization": f"Bearer {login.json()['access_token']}"}
                assert (await client.get("/api/users/1/orders", headers=alice)).status_code == 200
                assert (await client.get("/api/users/2/orders", headers=alice)).status_code == 403
                assert (await client.get("/api/orders/2", headers=alice)).status_code == 403
                assert (await client.delete("/api/orders/2", headers=alice)).status_code == 403
                assert (await client.get("/api/admin/stats", headers=alice)).status_code == 403
                direct = httpx.get(f"http://127.0.0.1:{api_port}/api/orders/2", headers=alice)
                assert direct.status_code == 200  # the API itself would have answered
            await asyncio.sleep(0)
    finally:
        api.terminate()
        api.wait(timeout=10)


@given(st.text(alphabet='rolesadmin_biverfcp{}":, ', max_size=40))
def test_searching_the_shortest_privileged_names_finds_what_searching_all_finds(body: str) -> None:
    names = frozenset(["role", "roles", "is_admin", "admin", "balance", "permissions", "verified", "verified_at"])
    raw = body.encode()
    every = tuple(name.encode() for name in names)
    assert _may_name(raw, _shortest_names(names)) == _may_name(raw, every)
