"""GraphQL field-level authorization between two users: one user reads another's private fields.

For each root field that fetches an object by id (`user(id:)`), user B's own id is learned from a
viewer field (`me`, `viewer` ...) returning the same type, and user A asks for B's object with every
scalar field. A sensitive-looking field (email, token, phone ...) that A gets, holding the value B sees
for itself, is a finding, named Type.field.
"""

from __future__ import annotations

from graphql import GraphQLObjectType

from bastion.scan import graphql
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.field-authz",
    title="GraphQL field readable by another user",
    severity=Severity.HIGH,
    cwe=639,
    owasp="API3",
    needs_users=2,
    needs_graphql=True,
    remediation="Authorize sensitive fields by their owner in the resolver (or a field-level policy): "
    "reading an object must not mean reading every field of it.",
    bastion="graphql:\n  rules:\n    - {allow: [User.email], roles: [user], where: 'args.id == identity.sub'}\n"
    "    - {allow: [User.email], roles: [admin]}",
)
VIEWERS = ("me", "viewer", "currentUser", "whoami", "self", "myself", "profile")


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    schema = graphql.schema(ctx)
    if schema is None:
        report.skip("needs the schema (introspection or --graphql-schema)")
        return
    fields = list(graphql.root_fields(schema))
    alice, bob = ctx.users[0], ctx.users[1]
    found_pair = False
    for viewer in (f for f in fields if f.name in VIEWERS and not f.required):
        type_ = viewer.returns
        if not isinstance(type_, GraphQLObjectType) or "id" not in type_.fields:
            continue
        getter = next(
            (
                f
                for f in fields
                if f.returns is type_ and f.required and len(f.required) == 1 and "id" in f.required[0].lower()
            ),
            None,
        )
        if getter is None:
            continue
        found_pair = True
        scalars = graphql.scalar_fields(type_)
        own = graphql.data(
            graphql.send(ctx, f"query BastionOwn {{ {viewer.name} {{ {' '.join(scalars)} }} }}", actor=bob)
        )
        mine = (own or {}).get(viewer.name)
        if not isinstance(mine, dict) or mine.get("id") is None:
            continue
        argument = getter.required[0]
        query = f"query BastionOther($id: ID!) {{ {getter.name}({argument}: $id) {{ {' '.join(scalars)} }} }}"
        exchange = graphql.send(ctx, query, {"id": str(mine["id"])}, actor=alice)
        report.tested(f"{type_.name}")
        other = (graphql.data(exchange) or {}).get(getter.name)
        if not isinstance(other, dict):
            continue
        for name in scalars:
            value = other.get(name)
            if value in (None, "") or value != mine.get(name):
                continue
            if any(word in name.lower() for word in graphql.SENSITIVE):
                report.finding(
                    f"{type_.name}.{name}",
                    f"{alice.name} read {bob.name}'s {type_.name}.{name} through {getter.name}({argument}: ...), "
                    f"the value {bob.name} sees for itself.",
                    [(exchange, f"{type_.name}.{name} of another user")],
                    confidence=Confidence.CERTAIN,
                )
    if not found_pair:
        report.skip("no viewer field (me, viewer ...) with a matching fetch-by-id field")
