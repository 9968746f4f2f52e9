"""GraphQL IDEs (GraphiQL, Playground, Altair, Voyager ...) served to anyone, and stack traces there.

Common IDE paths, and the endpoint itself asked for HTML, are requested once each without credentials;
a 2xx HTML page that is an IDE is a finding (an IDE hands every visitor the schema, a query editor and,
often, the stored headers of whoever used it). Each path that answered is then sent a malformed query:
a stack trace in the answer is a finding too.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bastion.scan import graphql, signatures
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.ide",
    title="GraphQL IDE exposed",
    severity=Severity.MEDIUM,
    cwe=489,
    owasp="API8",
    needs_graphql=True,
    remediation="Do not serve GraphiQL, Playground or similar IDEs in production (or only to authenticated "
    "developers), and turn debug errors off on every path.",
    bastion="openapi: openapi.yaml    # deny by default: /graphiql and friends are not routes of the API",
)
PATHS = (
    "/graphiql",
    "/graphql/graphiql",
    "/playground",
    "/graphql/playground",
    "/altair",
    "/voyager",
    "/explorer",
    "/v1/graphiql",
    "/api/graphiql",
    "/console",
)
IDE = re.compile(
    r"(?i)graphiql|graphql[ -]playground|altair graphql|apollo sandbox|embeddable-sandbox|graphql voyager|"
    r"graphql-explorer"
)


def _paths(ctx: ScanContext) -> list[str]:
    endpoint = urlsplit(graphql.endpoint(ctx)).path or "/graphql"
    out = [endpoint, *PATHS, endpoint.rstrip("/") + "/graphiql"]
    return list(dict.fromkeys(out))


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    endpoint = urlsplit(graphql.endpoint(ctx)).path or "/graphql"
    report.tested(graphql.OPERATION)
    for path in _paths(ctx):
        page = ctx.target.send("GET", path, headers={"accept": "text/html"}, operation=path, retry_429=False)
        html = page.ok and "html" in (page.header("content-type") or "").lower()
        if html and IDE.search(page.text[:100_000]):
            report.finding(
                path,
                f"GET {path} serves an in-browser GraphQL IDE to anyone, without credentials.",
                [(page, "the IDE's page")],
                confidence=Confidence.CERTAIN,
            )
        if path == endpoint or page.ok:
            broken = ctx.target.send("GET", path, query=[("query", "{ bastion(")], operation=path, retry_429=False)
            trace = signatures.stack_trace(broken.text)
            if trace is not None:
                report.finding(
                    f"{path}?query=",
                    f"A malformed query sent to GET {path} drew a {trace[0]}: {trace[1]!r}.",
                    [(broken, "malformed query")],
                    severity=Severity.MEDIUM,
                    confidence=Confidence.CERTAIN,
                    title="GraphQL path answers with a stack trace",
                )
