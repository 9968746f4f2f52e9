"""The scan lab's twins: every planted flaw is found on the flawed twin, and the same checks stay silent on
the fixed twin. A Flask REST API, an ariadne GraphQL API and a fragile single-threaded API (tests/scan_lab).

One full scan of the REST flaws is shared by the module; the fixed twins and the GraphQL lab get scans
scoped to the checks the flaws are for."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bastion.scan.result import ScanResult
from tests.scan_targets import (
    FRAGILE_SPEC,
    GRAPHQL_AUTH,
    GRAPHQL_SDL,
    REST_AUTH,
    REST_SPEC,
    found,
    fragile,
    graphql_lab,
    rest_lab,
    scan,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

REST_FLAWS = [
    ("authz.bola", "updateProfile"),  # body: {"username": <someone else>}
    ("authz.bola", "listOrders"),  # query: ?user_id=
    ("authz.bola", "getStatement"),  # header: X-Account-Id
    ("authz.bola", "getOrder"),  # path
    ("authz.bola", "getNote"),  # an object the attacker can list, whose secret only its owner should read
    ("authz.bola", "changePassword"),  # another user's password, on the scan's own account
    ("authz.mass-assignment", "patchProfile"),  # PATCH /profile {"role": "admin"}
    ("authz.mass-assignment", "setUserRole"),  # a self-service role change
    ("authz.bfla", "updateProduct"),  # an admin-only write
    ("injection.ssrf", "setAvatar"),  # a URL field of an update body, fetched
    ("exposure.debug-endpoint", "/api/v1/_debug"),  # hidden, with password hashes
    ("authn.user-enumeration", "login"),  # by time only: the answers are identical
    ("transport.cors", "health"),  # a loose origin regular expression, with credentials
    ("authn.jwt-weak-secret", "listUsers"),  # six digits, cracked offline
]
REST_CHECKS = sorted({check_id for check_id, _ in REST_FLAWS})
GRAPHQL_FLAWS = [
    ("graphql.depth-limit", "graphql"),  # Paste.owner -> Owner.pastes -> Paste
    ("graphql.cost-limit", "systemReport"),  # an expensive resolver, asked for five times
    ("graphql.field-duplication", "graphql"),
    ("graphql.circular-fragments", "graphql"),
    ("graphql.ide", "/graphiql"),
    ("graphql.ide", "/graphiql?query="),  # a stack trace on the IDE's path
    ("graphql.stored-xss", "createPaste"),
    ("graphql.introspection", "graphql"),
    ("graphql.suggestions", "graphql"),
    ("graphql.verbose-errors", "graphql"),
    ("graphql.get-mutation", "graphql"),
    ("graphql.batch-amplification", "graphql"),
    ("graphql.alias-amplification", "graphql"),
    ("injection.sql", "pastes(filter)"),  # in a query
    ("injection.nosql", "findPastes(where)"),
    ("injection.os-command", "importPaste(host)"),  # in a mutation
    ("injection.ssrf", "importPaste(host)"),
    ("injection.template", "previewPaste(content)"),
    ("authn.jwt-alg-none", "me(token)"),  # a JWT passed as an argument
    ("authn.jwt-alg-none", "graphql"),  # a JWT in the Authorization header of a POST
]
GRAPHQL_CHECKS = ["graphql", "injection", "authn.jwt-alg-none"]


@pytest.fixture(scope="module")
def rest_flawed() -> ScanResult:
    with rest_lab() as server:
        return scan(server.url, REST_SPEC, REST_AUTH)


@pytest.fixture(scope="module")
def rest_fixed() -> ScanResult:
    with rest_lab(fixed=True) as server:
        return scan(server.url, REST_SPEC, REST_AUTH, only=REST_CHECKS, crack_time=2.0)


@pytest.mark.parametrize(("check_id", "operation"), REST_FLAWS)
def test_rest_flaw_is_found(rest_flawed: ScanResult, check_id: str, operation: str) -> None:
    assert operation in found(rest_flawed, check_id), found(rest_flawed, check_id)


def test_rest_fixed_twin_is_silent(rest_fixed: ScanResult) -> None:
    assert [(f.check_id, f.operation, f.detail) for f in rest_fixed.findings] == []
    ran = {run.info.id for run in rest_fixed.checks if run.status == "ran"}
    assert ran == set(REST_CHECKS)  # silent because nothing was wrong, not because nothing ran


def test_rest_scan_is_complete_and_covered(rest_flawed: ScanResult) -> None:
    assert rest_flawed.stop_reason is None
    assert rest_flawed.blocks == []
    assert rest_flawed.outages == []
    assert rest_flawed.coverage.identities == ["alice", "bob", "root"]
    assert rest_flawed.coverage.shortfalls() == []


def test_destructive_mode_adds_bfla_on_delete() -> None:
    with rest_lab() as flawed, rest_lab(fixed=True) as good:
        destructive = scan(flawed.url, REST_SPEC, REST_AUTH, only=["authz.bfla"], allow_destructive=True)
        clean = scan(good.url, REST_SPEC, REST_AUTH, only=["authz.bfla"], allow_destructive=True)
    assert "deleteProduct" in found(destructive, "authz.bfla")
    assert found(clean, "authz.bfla") == []


# -- GraphQL ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graphql_results() -> Iterator[tuple[ScanResult, ScanResult]]:
    def run(url: str, fixed: bool) -> ScanResult:
        return scan(
            url,
            None,
            GRAPHQL_AUTH,
            graphql=f"{url}/graphql",
            graphql_schema=GRAPHQL_SDL if fixed else None,  # the fixed twin turns introspection off
            only=GRAPHQL_CHECKS,
        )

    with graphql_lab() as flawed, graphql_lab(fixed=True) as good:
        yield run(flawed.url, False), run(good.url, True)


@pytest.mark.parametrize(("check_id", "operation"), GRAPHQL_FLAWS)
def test_graphql_flaw_is_found(graphql_results: tuple[ScanResult, ScanResult], check_id: str, operation: str) -> None:
    flawed, _ = graphql_results
    assert operation in found(flawed, check_id), found(flawed, check_id)


def test_graphql_fixed_twin_is_silent(graphql_results: tuple[ScanResult, ScanResult]) -> None:
    _, fixed = graphql_results
    planted = {check_id for check_id, _ in GRAPHQL_FLAWS}
    assert [(f.check_id, f.operation, f.detail) for f in fixed.findings if f.check_id in planted] == []
    ran = {run.info.id for run in fixed.checks if run.status == "ran"}
    assert planted - {"injection.ssrf"} <= ran  # the fixed importPaste never fetches: nothing to call back


# -- the fragile API: one thread, a backtracking email check -------------------------------------------------------


@pytest.mark.parametrize("fixed", [False, True])
def test_fragile_api_is_found_out_and_never_left_hanging(fixed: bool) -> None:
    with fragile(fixed=fixed) as server:
        result = scan(server.url, FRAGILE_SPEC, None, rate=None)
        alive = httpx.get(f"{server.url}/health", timeout=5)  # still answering: nothing was sent that hangs it
    assert alive.status_code == 200
    assert result.outages == []
    assert result.stop_reason is None
    assert found(result, "resource.redos") == ([] if fixed else ["createUser", "updateEmail"])
    medium = {(f.check_id, f.operation) for f in result.findings if f.severity.label in ("medium", "high", "critical")}
    assert medium == (set() if fixed else {("resource.redos", "createUser"), ("resource.redos", "updateEmail")})
