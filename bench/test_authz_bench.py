"""Cost of one authorization decision with a 200-rule policy (pytest-benchmark)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bastion.config import parse_config
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request
from bastion.engine import Engine


def _policy(tmp: Path) -> str:
    routes, rules = [], []
    for i in range(100):
        routes.append({"path": f"/tenants/{{tenant_id}}/resource{i}/{{item_id}}", "methods": ["GET", "PUT"]})
        rules.append(
            {
                "id": f"read-{i}",
                "allow": [f"GET /tenants/{{tenant_id}}/resource{i}/{{item_id}}"],
                "roles": ["reader", "editor"],
                "where": "path.tenant_id == identity.tenant",
            }
        )
        rules.append(
            {
                "id": f"write-{i}",
                "allow": [f"PUT /tenants/{{tenant_id}}/resource{i}/{{item_id}}"],
                "roles": ["editor"],
                "scopes": ["items:write"],
                "where": "path.tenant_id == identity.tenant and body.owner == identity.sub",
            }
        )
    return yaml.safe_dump(
        {
            "routes": routes,
            "store": {"path": str(tmp / "s.db")},
            "authn": {"methods": [{"jwt": {"issuer": "i", "algorithms": ["HS256"], "secret": "k" * 40}}]},
            "authz": {
                "roles": {"editor": {"inherits": ["reader"]}, "reader": {}, "admin": {"inherits": ["editor"]}},
                "rules": rules,
            },
        }
    )


def test_authz_decision_200_rules(benchmark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine = Engine(parse_config(_policy(tmp_path)))
    guard = engine.pipeline.guard("authz")
    identity = Identity("u-7", "jwt", roles=frozenset({"editor"}), scopes=frozenset({"items:write"}), tenant="t1")
    body = b'{"owner": "u-7", "name": "x"}'
    headers = Headers([("host", "a"), ("content-type", "application/json")])
    route = engine.router.match("PUT", "/tenants/t1/resource57/i-9")

    def decide() -> None:
        result = "not finished"
        # a fresh request each round, so the body is parsed every time as it would be
        request = Request(
            method="PUT", path="/tenants/t1/resource57/i-9", query="", headers=headers, client="1.1.1.1", body=body
        )
        ctx = Context("bench-authz-00001")
        ctx.identity = identity
        ctx.route = route
        coro = guard.check(request, ctx)
        try:
            coro.send(None)
        except StopIteration as done:
            result = done.value
        assert result is None

    benchmark(decide)
