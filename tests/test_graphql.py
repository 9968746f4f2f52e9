"""The graphql guard: each limit, introspection, suggestions, persisted queries, field rules, the WAF on
arguments, rate limits by operation and cost, and ordinary queries that must all pass."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from examples.graphql_api.app import create_app

from bastion.config import ConfigError, parse_config
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.core.verdict import Decision
from bastion.engine import Engine
from bastion.errors import StartupError
from bastion.guards.graphql.persisted import document_hash
from tests.graphql_harness import ORDINARY, policy, token
from tests.proxy_harness import serving
from tests.servers import ThreadedUvicorn


@pytest.fixture(scope="module")
def upstream() -> Iterator[ThreadedUvicorn]:
    with ThreadedUvicorn(create_app()) as server:
        yield server


@pytest.fixture
def engine(upstream: ThreadedUvicorn, tmp_path: Path) -> Engine:
    return Engine(policy(upstream.url + "/", tmp_path))


def make_engine(upstream: ThreadedUvicorn, tmp_path: Path, **overrides: Any) -> Engine:
    return Engine(policy(upstream.url, tmp_path, **overrides))


def gql_request(  # noqa: PLR0913  keyword-only: every part of a GraphQL request a test varies
    query: str | None = None,
    variables: dict[str, Any] | None = None,
    *,
    user: str | None = None,
    method: str = "POST",
    raw: bytes | None = None,
    content_type: str = "application/json",
    operation: str | None = None,
    extensions: dict[str, Any] | None = None,
) -> Request:
    headers = [("host", "api.test"), ("user-agent", "tests")]
    if user is not None:
        headers.append(("authorization", f"Bearer {token(user)}"))
    payload: dict[str, Any] = {}
    if query is not None:
        payload["query"] = query
    if variables:
        payload["variables"] = variables
    if operation:
        payload["operationName"] = operation
    if extensions:
        payload["extensions"] = extensions
    if method == "GET":
        params = {k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in payload.items()}
        return Request(
            method="GET",
            path="/graphql",
            query=str(httpx.QueryParams(params)),
            headers=Headers(headers),
            client="10.0.0.1",
            body=None,
        )
    body = raw if raw is not None else json.dumps(payload).encode()
    headers += [("content-type", content_type), ("content-length", str(len(body)))]
    return Request(method="POST", path="/graphql", query="", headers=Headers(headers), client="10.0.0.1", body=body)


async def decide(engine: Engine, request: Request) -> tuple[Decision, Context]:
    ctx = Context("graphql-test-0001")
    return await engine.pipeline.check(request, ctx), ctx


async def refused(engine: Engine, request: Request) -> tuple[int, str]:
    decision, _ = await decide(engine, request)
    assert decision.refusal is not None, "expected a refusal"
    return decision.refusal.status, decision.refusal.rule


def nested_friends(depth: int) -> str:
    inner = "id"
    for _ in range(depth - 2):  # me { friends { ... { id } } }: depth levels in all
        inner = f"friends(first: 1) {{ {inner} }}"
    return f"{{ me {{ {inner} }} }}"


# -- limits -------------------------------------------------------------------------------------------


async def test_depth_limit(engine: Engine) -> None:
    assert (await decide(engine, gql_request(nested_friends(8), user="alice")))[0].allowed
    assert await refused(engine, gql_request(nested_friends(9), user="alice")) == (400, "graphql.depth")


async def test_depth_counts_through_fragments(engine: Engine) -> None:
    chain = "friends { " * 8 + "id" + " }" * 8
    query = "{ me { ...F } } fragment F on User { " + chain + " }"
    assert await refused(engine, gql_request(query, user="alice")) == (400, "graphql.depth")


async def test_cost_limit_with_literal_and_variable_sizes(engine: Engine) -> None:
    small = "{ posts(first: 10) { edges { node { comments(first: 10) { author { name } } } } } }"
    decision, ctx = await decide(engine, gql_request(small))
    assert decision.allowed
    assert ctx.graphql is not None
    assert ctx.graphql.cost == 1 + 10 * 2 + 100 * 2 + 10 * 1 + 10 * 0  # posts, edges+node, comments+author, name
    big = "{ posts(first: 100) { edges { node { comments(first: 100) { author { name } } } } } }"
    assert await refused(engine, gql_request(big)) == (400, "graphql.cost")
    by_variable = "query Q($n: Int) { posts(first: $n) { edges { node { comments(first: $n) { author { name } } } } } }"
    assert (await decide(engine, gql_request(by_variable, {"n": 10})))[0].allowed
    assert await refused(engine, gql_request(by_variable, {"n": 100})) == (400, "graphql.cost")


async def test_list_size_above_maximum(engine: Engine) -> None:
    assert await refused(engine, gql_request("{ posts(first: 5000) { totalCount } }")) == (400, "graphql.list_size")
    query = "query Q($n: Int) { posts(first: $n) { totalCount } }"
    assert await refused(engine, gql_request(query, {"n": 10**9})) == (400, "graphql.list_size")


async def test_unsized_lists_cost_the_default_size(engine: Engine) -> None:
    decision, ctx = await decide(engine, gql_request("{ users { friends { name } } }", user="alice"))
    assert decision.allowed
    # users: 1; 10 users x friends: 10; 10 x 10 friends x name: 100
    assert ctx.graphql is not None
    assert ctx.graphql.cost == 1 + 10 + 100


async def test_alias_limit(engine: Engine) -> None:
    aliases = " ".join(f"a{i}: health" for i in range(10))
    assert (await decide(engine, gql_request(f"{{ {aliases} }}")))[0].allowed
    aliases = " ".join(f"a{i}: health" for i in range(11))
    assert await refused(engine, gql_request(f"{{ {aliases} }}")) == (400, "graphql.aliases")


async def test_batch_limit(engine: Engine) -> None:
    batch = [{"query": "{ health }"}] * 5
    assert (await decide(engine, gql_request(raw=json.dumps(batch).encode())))[0].allowed
    batch = [{"query": "{ health }"}] * 6
    assert await refused(engine, gql_request(raw=json.dumps(batch).encode())) == (400, "graphql.batch")


async def test_document_size_and_token_limits(engine: Engine) -> None:
    padding = "#" + "x" * 17000 + "\n"
    assert await refused(engine, gql_request(padding + "{ health }")) == (413, "graphql.document_size")
    many = "{ " + " ".join(["h"] * 3100) + " }"
    assert await refused(engine, gql_request(many)) == (400, "graphql.tokens")


async def test_directive_overloading(engine: Engine) -> None:
    query = "{ health " + "@include(if: true) " * 51 + "}"
    assert await refused(engine, gql_request(query)) == (400, "graphql.directives")


async def test_fragment_cycles_are_refused(engine: Engine) -> None:
    query = "{ me { ...A } } fragment A on User { friends { ...B } } fragment B on User { friends { ...A } }"
    assert await refused(engine, gql_request(query, user="alice")) == (400, "graphql.fragment_cycle")
    assert await refused(engine, gql_request("{ me { ...Missing } }", user="alice")) == (400, "graphql.fragment")


async def test_fragment_fan_out_stops_at_the_field_limit(engine: Engine) -> None:
    # Each fragment spreads the next twice: 2^20 fields once expanded, in a 1 KB document.
    parts = ["fragment F0 on User { id name }"]
    for i in range(1, 21):
        parts.append(f"fragment F{i} on User {{ ...F{i - 1} friends {{ ...F{i - 1} }} }}")
    query = "{ me { ...F20 } } " + " ".join(parts)
    status, rule = await refused(engine, gql_request(query, user="alice"))
    assert status == 400
    assert rule in {"graphql.fields", "graphql.depth"}


@pytest.mark.parametrize(
    ("raw", "content_type", "rule"),
    [
        (b"{ health ", "application/graphql", "graphql.syntax"),
        (b'{"query": "{ health "}', "application/json", "graphql.syntax"),
        (b'{"query": 5}', "application/json", "graphql.request"),
        (b'{"query": "{ health }", "variables": [1]}', "application/json", "graphql.request"),
        (b"[]", "application/json", "graphql.batch"),
        (b"{not json", "application/json", "graphql.json"),
        (b'{"query": "query A { health } query B { health }"}', "application/json", "graphql.operation"),
        (b'{"query": "type Query { x: Int }"}', "application/json", "graphql.definition"),
    ],
)
async def test_malformed_requests_get_400(engine: Engine, raw: bytes, content_type: str, rule: str) -> None:
    assert await refused(engine, gql_request(raw=raw, content_type=content_type)) == (400, rule)


async def test_wrong_content_type_gets_415(engine: Engine) -> None:
    assert (await refused(engine, gql_request(raw=b"query=x", content_type="application/x-www-form-urlencoded")))[
        0
    ] == 415


# -- introspection, GET mutations, persisted queries -----------------------------------------------------


async def test_introspection_is_off_unless_a_role_may(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    engine = make_engine(upstream, tmp_path)
    for query in ("{ __schema { types { name } } }", '{ __type(name: "User") { fields { name } } }'):
        assert await refused(engine, gql_request(query, user="admin")) == (403, "graphql.introspection")
    assert (await decide(engine, gql_request("{ __typename }")))[0].allowed
    engine = make_engine(upstream, tmp_path, **{"graphql.introspection_roles": ["admin"]})
    assert (await decide(engine, gql_request("{ __schema { queryType { name } } }", user="admin")))[0].allowed
    assert await refused(engine, gql_request("{ __schema { queryType { name } } }", user="alice")) == (
        403,
        "graphql.introspection",
    )


async def test_mutation_over_get_is_refused(engine: Engine) -> None:
    status, rule = await refused(
        engine, gql_request('mutation { updateProfile(bio: "x") { bio } }', user="alice", method="GET")
    )
    assert (status, rule) == (405, "graphql.get_mutation")
    assert (await decide(engine, gql_request("{ health }", method="GET")))[0].allowed


async def test_persisted_query_allow_list(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    known = "query Health { health }"
    manifest = tmp_path / "persisted.json"
    manifest.write_text(json.dumps({"ignored-key": known}))
    engine = make_engine(upstream, tmp_path, **{"graphql.persisted": {"file": str(manifest)}})
    assert (await decide(engine, gql_request(known)))[0].allowed
    hash_only = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(known)}}
    assert (await decide(engine, gql_request(None, extensions=hash_only)))[0].allowed
    assert await refused(engine, gql_request("{ health }")) == (403, "graphql.persisted")
    unknown = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    assert await refused(engine, gql_request(None, extensions=unknown)) == (403, "graphql.persisted")


def test_persisted_manifest_errors_name_the_key(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(StartupError, match=r"graphql\.persisted\.file"):
        make_engine(upstream, tmp_path, **{"graphql.persisted": {"file": str(bad)}})


# -- field-level authorization ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "query", "expected"),
    [
        ("alice", "{ me { email apiToken } }", 200),
        ("alice", "{ user(id: 1) { email } }", 200),
        ("alice", "{ user(id: 2) { email } }", 403),
        ("alice", "{ user(id: 2) { name } }", 200),
        ("alice", "{ users { apiToken } }", 403),
        ("alice", "{ post(id: 1) { author { email } } }", 403),
        ("admin", "{ user(id: 2) { email apiToken } }", 200),
        ("admin", "{ users { email } }", 200),
        (None, "{ me { id } }", 403),
        (None, "{ posts { totalCount } }", 200),
        ("alice", 'mutation { setRole(userId: 1, role: "admin") { role } }', 403),
        ("admin", 'mutation { setRole(userId: 2, role: "user") { role } }', 200),
        ("alice", 'mutation { createPost(title: "t", body: "b") { id } }', 200),
        (None, 'mutation { createPost(title: "t", body: "b") { id } }', 403),
        (None, 'mutation { login(username: "a", password: "b") { token } }', 200),
    ],
)
async def test_field_rules(engine: Engine, user: str | None, query: str, expected: int) -> None:
    decision, _ = await decide(engine, gql_request(query, user=user))
    assert (decision.refusal.status if decision.refusal else 200) == expected, decision.refusal


async def test_field_rule_arguments_come_from_variables(engine: Engine) -> None:
    query = "query U($id: ID!) { user(id: $id) { email } }"
    assert (await decide(engine, gql_request(query, {"id": "1"}, user="alice")))[0].allowed
    assert await refused(engine, gql_request(query, {"id": "2"}, user="alice")) == (403, "graphql.field")


async def test_unnamed_mutations_need_a_rule(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    engine = make_engine(upstream, tmp_path, **{"graphql.rules": [], "graphql.public": []})
    assert await refused(
        engine, gql_request('mutation { createPost(title: "t", body: "b") { id } }', user="alice")
    ) == (
        403,
        "graphql.mutation",
    )


# -- the WAF reads arguments and variables, not GraphQL syntax -----------------------------------------


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ search(text: "\' OR 1=1 --") { id } }', None),
        ("query S($q: String!) { search(text: $q) { id } }", {"q": "x' UNION SELECT password FROM users --"}),
        (
            "mutation C($b: String!) { addComment(postId: 1, body: $b) { id } }",
            {"b": "<script>alert(document.cookie)</script>"},
        ),
        ('{ search(text: "; cat /etc/passwd") { id } }', None),
    ],
)
async def test_waf_inspects_arguments_and_variables(
    engine: Engine, query: str, variables: dict[str, Any] | None
) -> None:
    decision, _ = await decide(engine, gql_request(query, variables, user="alice"))
    assert decision.refusal is not None
    assert decision.refusal.rule.startswith("waf."), decision.refusal
    assert (decision.refusal.location or "").startswith("graphql.")


async def test_ordinary_queries_are_never_refused(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    """At least 50 ordinary queries, through the proxy to the real API: none refused, none failing."""
    assert len(ORDINARY) >= 50
    config = policy(upstream.url, tmp_path, **{"ratelimit": None})
    async with serving(config) as proxy, httpx.AsyncClient(base_url=proxy.url, timeout=10) as client:
        for case in ORDINARY:
            headers = {"authorization": f"Bearer {token(case['as'])}"} if case["as"] != "anonymous" else {}
            if case.get("batch"):
                response = await client.post(
                    "/graphql", content=case["query"], headers={**headers, "content-type": "application/json"}
                )
            elif case.get("method") == "GET":
                params = {"query": case["query"]}
                if case.get("variables"):
                    params["variables"] = json.dumps(case["variables"])
                response = await client.get("/graphql", params=params, headers=headers)
            elif case.get("content_type"):
                response = await client.post(
                    "/graphql", content=case["query"], headers={**headers, "content-type": case["content_type"]}
                )
            else:
                payload = {"query": case["query"], "variables": case.get("variables") or {}}
                if case.get("operationName"):
                    payload["operationName"] = case["operationName"]
                response = await client.post("/graphql", json=payload, headers=headers)
            assert response.status_code == 200, (case, response.text)
            results = response.json() if isinstance(response.json(), list) else [response.json()]
            assert all(not r.get("errors") for r in results), (case, response.text)


# -- through the proxy: suggestions, rate limits, monitor mode ------------------------------------------


async def test_suggestions_and_debug_extensions_are_stripped(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with serving(policy(upstream.url, tmp_path)) as proxy, httpx.AsyncClient(base_url=proxy.url) as client:
        response = await client.post(
            "/graphql", json={"query": "{ me { emai } }"}, headers={"authorization": f"Bearer {token('alice')}"}
        )
        failed_login = await client.post(
            "/graphql", json={"query": 'mutation { login(username: "bob", password: "x") { token } }'}
        )
    assert response.status_code == 200
    message = response.json()["errors"][0]["message"]
    assert "Cannot query field" in message
    assert "Did you mean" not in message
    assert "email" not in message
    # the demo runs in debug mode: its errors carry the exception and stack trace, which never leave
    assert failed_login.status_code == 200
    error = failed_login.json()["errors"][0]
    assert error["message"] == "invalid username or password"
    assert "extensions" not in error
    assert "Traceback" not in failed_login.text


async def test_login_limit_counts_aliased_and_batched_attempts_by_cost(
    upstream: ThreadedUvicorn, tmp_path: Path
) -> None:
    budget = [
        {"id": "logins", "operations": ["login"], "key": ["ip"], "rate": "10/min", "burst": 10},
        {"id": "cost", "key": ["ip"], "rate": "500/min", "burst": 500, "cost": "graphql"},
    ]
    config = policy(upstream.url, tmp_path, **{"ratelimit.limits": budget})
    login = (
        'mutation { a: login(username: "alice", password: "x") { token } '
        'b: login(username: "alice", password: "y") { token } }'
    )
    async with serving(config) as proxy, httpx.AsyncClient(base_url=proxy.url) as client:
        statuses = [(await client.post("/graphql", json={"query": login})).status_code for _ in range(6)]
    # each request tries two passwords at weight 50 (+1 for token): about 102 cost units of a 500 budget
    assert statuses[:4] == [200] * 4, statuses
    assert statuses[-1] == 429, statuses


async def test_rate_limit_by_root_field(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    config = policy(upstream.url, tmp_path)
    login = 'mutation { login(username: "bob", password: "nope") { token } }'
    async with serving(config) as proxy, httpx.AsyncClient(base_url=proxy.url) as client:
        statuses = [(await client.post("/graphql", json={"query": login})).status_code for _ in range(11)]
        other = (await client.post("/graphql", json={"query": "{ health }"})).status_code
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert other == 200


async def test_monitor_mode_records_without_blocking(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    engine = make_engine(upstream, tmp_path, **{"graphql.mode": "monitor"})
    decision, ctx = await decide(engine, gql_request(nested_friends(12), user="alice"))
    assert decision.allowed
    assert [f.verdict.rule for f in ctx.findings if f.guard == "graphql"] == ["graphql.depth"]


# -- schema sources and config errors --------------------------------------------------------------------


async def test_schema_from_introspection_at_start_up(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    engine = make_engine(upstream, tmp_path, **{"graphql.schema": {"introspect": True}})
    graphql_guard = engine.pipeline.guard("graphql")
    schema = graphql_guard.schema  # type: ignore[attr-defined]
    assert schema is not None
    assert schema.get_type("PostConnection") is not None
    assert await refused(engine, gql_request("{ user(id: 2) { email } }", user="alice")) == (403, "graphql.field")


def test_unreachable_introspection_fails_start_up(upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    with pytest.raises(StartupError, match=r"graphql\.schema\.introspect"):
        make_engine(
            upstream,
            tmp_path,
            **{"graphql.schema": {"introspect": True, "url": "http://127.0.0.1:9/graphql", "timeout": "1s"}},
        )


def test_schema_needs_exactly_one_source() -> None:
    text = "routes: [{path: /graphql, methods: [POST]}]\ngraphql: {schema: {sdl: s.graphql, introspect: true}}\n"
    with pytest.raises(ConfigError, match=r"graphql\.schema"):
        parse_config(text)


# -- helpers --------------------------------------------------------------------------------------------
