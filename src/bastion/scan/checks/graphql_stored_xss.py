"""GraphQL stored XSS and HTML injection: markup a mutation stored, returned raw by a later query.

Every String argument of the mutations (safe mode: none that deletes) gets a script payload of its own,
marked with a token (`<img src=x onerror=alert("bst1a2b")>`: it only alerts, and only in a browser that
renders it), and the queries that can show what was stored (the fields without required arguments, and a
fetch by the id the mutation returned) are read afterwards. The payload coming back unescaped from a
later query is the finding: whatever renders that field as HTML runs what a client stored. Escaped
(`&lt;img ...`), sanitised or refused (a WAF), it is not.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, get_named_type

from bastion.scan import graphql
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.graphql_points import DESTRUCTIVE
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.sessions import TOKEN_ARG
from bastion.scan.target import Exchange
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="graphql.stored-xss",
    title="GraphQL stores HTML and returns it unescaped (stored XSS / HTML injection)",
    severity=Severity.MEDIUM,
    cwe=79,
    owasp="API8",
    needs_graphql=True,
    remediation="Validate or sanitise rich text on input (an allow-list HTML sanitiser), and escape on output "
    "wherever the value is rendered as HTML.",
    bastion="waf:\n  mode: enforce      # xss rules on GraphQL arguments and variables",
)
MAX_MUTATIONS = 8
SKIPPED = ("pass", "token", "secret", "url", "uri", "host", "email", "path", "scheme")


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    schema = graphql.schema(ctx)
    if schema is None or schema.mutation_type is None:
        report.skip("needs a schema with mutations")
        return
    actor = ctx.users[0] if ctx.users else ctx.anonymous
    login = graphql.login_mutation(schema)
    stored: list[tuple[str, str, Exchange]] = []  # (tag, mutation, exchange)
    for field in list(graphql.root_fields(schema, "mutation"))[:MAX_MUTATIONS]:
        if DESTRUCTIVE.search(field.name) or (login is not None and field.name == login.name):
            continue
        strings = [
            name
            for name, arg in field.field.args.items()
            if get_named_type(arg.type).name == "String"
            and not TOKEN_ARG.match(name)
            and not any(word in name.lower() for word in SKIPPED)
        ]
        if not strings:
            continue
        tags = {name: f'<img src=x onerror=alert("{unique_text()}")>' for name in strings}
        call = graphql.call(field, {name: graphql.string(tag) for name, tag in tags.items()})
        if call is None:
            continue
        report.tested(field.name)
        exchange = graphql.send(
            ctx, f"mutation BastionStore {{ {call}{graphql.selection(field.returns)} }}", actor=actor
        )
        if graphql.data(exchange):
            stored += [(tag, field.name, exchange) for tag in tags.values()]
    if not stored:
        return
    for read in _readers(ctx, schema, stored):
        answer = graphql.send(ctx, read, actor=actor)
        shown = set(_strings(answer.json))
        for tag, mutation, exchange in stored:
            if any(tag in text for text in shown):
                report.finding(
                    mutation,
                    f"Markup stored through {mutation} came back unescaped from a later query ({tag!r}): whatever "
                    "shows that field as HTML runs it.",
                    [(exchange, f"{mutation} stores {tag}"), (answer, "a later query returns it raw")],
                    confidence=Confidence.CERTAIN,
                )
        stored = [s for s in stored if not any(s[0] in text for text in shown)]
        if not stored:
            return


def _readers(ctx: ScanContext, schema: Any, stored: list[tuple[str, str, Exchange]]) -> list[str]:
    """Queries that can show stored objects: root fields without required arguments, then fetches by the
    id a mutation returned."""
    out = []
    for root in graphql.root_fields(schema):
        if not root.required and isinstance(root.returns, GraphQLObjectType):
            out.append(f"query BastionRead {{ {root.name}{graphql.selection(root.returns)} }}")
    for _, mutation, exchange in stored:
        created = (graphql.data(exchange) or {}).get(mutation)
        if not isinstance(created, dict) or created.get("id") is None:
            continue
        for root in graphql.root_fields(schema):
            if root.required == ["id"] and isinstance(root.returns, GraphQLObjectType):
                fetch = f"{root.name}(id: {graphql.string(str(created['id']))})"
                out.append(f"query BastionRead {{ {fetch}{graphql.selection(root.returns)} }}")
    return list(dict.fromkeys(out))[:10]


def _strings(node: Any, depth: int = 0) -> list[str]:
    """Every string of a JSON answer, decoded (a raw `<` may travel as `\\u003c`; it is still markup)."""
    if depth > 20:
        return []
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value, depth + 1)]
    if isinstance(node, list):
        return [s for item in node[:200] for s in _strings(item, depth + 1)]
    return []
