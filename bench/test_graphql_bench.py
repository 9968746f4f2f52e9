"""GraphQL guard cost (pytest-benchmark, in process).

Target (issue 10): <= 100 us of guard overhead for a typical 2 KB query. Clients repeat their
documents, so the typical call finds the document's shape in the cache and only reads the body,
resolves variables and checks limits and field rules; the first sight of a document also pays for
graphql-core's parser, measured separately. The WAF on the same request (arguments and variables
instead of the raw document) is measured too, to compare with inspecting the raw body.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.config.authz import AuthzConfig
from bastion.config.graphql import GraphQLConfig
from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request
from bastion.guards.graphql.guard import GraphQLGuard
from bastion.guards.waf import WAFGuard

SCHEMA = Path(__file__).resolve().parent.parent / "examples/graphql_api/schema.graphql"
QUERY = """query Dashboard($first: Int = 10, $after: String, $tag: String, $withComments: Boolean = true) {
  me { id username name bio email role friends(first: 5) { id name posts(first: 3) { id title tags } } }
  posts(first: $first, after: $after, tag: $tag) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        ...PostSummary
        author { ...Author }
        comments(first: 5) @include(if: $withComments) { id body author { ...Author } }
      }
    }
  }
  latest: search(text: "graphql security", first: 5) { ...PostSummary author { ...Author } }
  popular: search(text: "rate limits", first: 5) { ...PostSummary author { ...Author } }
  recent: posts(first: 5, tag: "python") { edges { node { ...PostSummary } } }
}

fragment PostSummary on Post { id title body tags createdAt }
fragment Author on User { id username name bio }
"""
QUERY = QUERY + "# " + "padding to a typical 2 KB document " * ((2048 - len(QUERY)) // 36) + "\n"
BODY = json.dumps({"query": QUERY, "variables": {"first": 10, "after": "20", "tag": "security"}}).encode()
ALICE = Identity("1", "jwt", roles=frozenset({"user"}))


def graphql_guard(**extra: object) -> GraphQLGuard:
    config = GraphQLConfig.model_validate(
        {
            "schema": {"sdl": str(SCHEMA)},
            "rules": [
                {"allow": ["User.email"], "roles": ["user"], "where": 'path.root == "me" or args.id == identity.sub'},
                {"allow": ["createPost"], "roles": ["user"]},
            ],
            **extra,
        }
    )
    return GraphQLGuard(config, AuthzConfig.model_validate({"roles": {"user": {}}}), None)


def request() -> Request:
    headers = Headers([("host", "api.test"), ("content-type", "application/json"), ("content-length", str(len(BODY)))])
    return Request(method="POST", path="/graphql", query="", headers=headers, client="127.0.0.1", body=BODY)


def context() -> Context:
    ctx = Context("bench-graphql-0001")
    ctx.identity = ALICE
    return ctx


def test_document_is_about_2kb() -> None:
    assert 1900 <= len(QUERY) <= 2200


def test_guard_typical_2kb_query(benchmark: pytest.FixtureRequest) -> None:
    guard = graphql_guard()
    assert guard.check(request(), context()) is None  # warms the document cache, as a client's repeats do

    def run() -> object:
        return guard.check(request(), context())  # a fresh Request: its JSON body is parsed each time

    assert benchmark(run) is None


def test_guard_first_sight_of_a_2kb_query(benchmark: pytest.FixtureRequest) -> None:
    guard = graphql_guard(cache_size=0)  # no cache: graphql-core parses the document every time
    assert benchmark(lambda: guard.check(request(), context())) is None


def test_waf_on_arguments_and_variables(benchmark: pytest.FixtureRequest) -> None:
    guard, waf = graphql_guard(), WAFGuard(WAFConfig())

    def run() -> object:
        ctx, req = context(), request()
        guard.check(req, ctx)
        return waf.check(req, ctx)

    assert benchmark(run) is None
