"""GraphQL documents that reach the WAF as plain values (a route not configured as GraphQL): each
string argument is read as a value of its own, decoded as the server decodes it (twelfth unseen set)."""

from __future__ import annotations

import json

import pytest

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.guards.waf import WAFGuard
from bastion.guards.waf.graphql_strings import MOST_STRINGS, graphql_document, string_arguments


@pytest.fixture(scope="module")
def guard() -> WAFGuard:
    return WAFGuard(WAFConfig())


def blocked(guard: WAFGuard, document: str) -> bool:
    body = json.dumps({"query": document, "variables": {}}).encode()
    headers = Headers([("host", "api.test"), ("content-type", "application/json")])
    request = Request(method="POST", path="/api", query="", headers=headers, client="127.0.0.1", body=body)
    return guard.check(request, Context("waf-graphql-0001")) is not None


def test_string_arguments_are_found_and_decoded() -> None:
    document = 'mutation { a(x: "en\\r\\nSet-Cookie: a=1", y: "caf\\u00e9") b(z: """block "quoted" text""") }'
    assert graphql_document(document)
    assert string_arguments(document) == ["en\r\nSet-Cookie: a=1", "café", 'block "quoted" text']


@pytest.mark.parametrize("text", ['{"query": "x"}', "{}", "just text", "[1, 2]", "{ users { id } }"])
def test_json_objects_and_documents_without_strings_are_not_read(text: str) -> None:
    assert not graphql_document(text)


def test_the_strings_read_are_bounded() -> None:
    document = "{ a(" + ", ".join(f'x{i}: "v{i}"' for i in range(MOST_STRINGS * 2)) + ") { id } }"
    assert len(string_arguments(document)) == MOST_STRINGS


@pytest.mark.parametrize(
    "document",
    [
        '{ directory(search: "*)(homeDirectory=*") { dn mail } }',  # an LDAP filter break-out
        'mutation { setLocale(locale: "en\\r\\nSet-Cookie: gql=1") { ok } }',  # CRLF once decoded
        'query { page(template: "{{7*7}}{{config.items()}}") { html } }',
    ],
)
def test_an_attack_in_a_string_argument_is_found(guard: WAFGuard, document: str) -> None:
    assert blocked(guard, document)


@pytest.mark.parametrize(
    "document",
    [
        'query Orders { orders(status: "paid", first: 20, after: "Y3Vyc29yOjQy") { edges { node { id } } } }',
        'mutation { addComment(postId: "42", body: "Thanks! I\'ll try the \\"dry run\\" flag first.") { id } }',
        'query { search(term: "O\'Connor & Sons (London)") { name } }',
    ],
)
def test_ordinary_documents_pass(guard: WAFGuard, document: str) -> None:
    assert not blocked(guard, document)
