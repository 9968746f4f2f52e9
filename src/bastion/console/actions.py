"""Every console action goes into the audit trail as an event of its own, naming the operator.

The event is made the way a request's is (a Request, a Context with the operator's identity and an
operation `console.<action>`, an Outcome), so it is chained, signed and searchable like any other:
`bastion audit search --operation console.lift_ban` or `--subject <operator>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.pipeline import Outcome
from bastion.core.request import Headers, Request
from bastion.core.request_id import new_request_id
from bastion.core.routing import Operation, Route, RouteMatch
from bastion.engine import Engine


def record(  # noqa: PLR0913  keyword-only: the fields of one operator-action audit record
    engine: Engine,
    *,
    operator: str,
    method: str,
    client: str,
    action: str,
    template: str,
    params: Mapping[str, str],
    status: int,
) -> bool:
    """Queue the action's audit event; False when the policy keeps no audit trail."""
    audit = engine.audit
    if audit is None:
        return False
    path = template
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    operation = Operation(id=f"console.{action}", method="POST", template=template)
    ctx = Context(new_request_id())
    ctx.route = RouteMatch(Route(template, {"POST": operation}, "POST"), MappingProxyType(dict(params)), operation)
    ctx.identity = Identity(subject=operator, method=method, roles=frozenset({"operator"}))
    request = Request(method="POST", path=path, query="", headers=Headers(()), client=client)
    audit.finish(request, ctx, Outcome(status))
    return True
