"""A GraphQL lab API (ariadne on Starlette), with a flawed twin and a fixed twin.

`create_app(fixed=False)` plants, each marked FLAW:

- no depth limit, and a type cycle across two types (`Paste.owner -> Owner.pastes -> Paste`);
- an expensive resolver (`systemReport`, a quarter of a second) with no cost limit on how many times
  one document asks for it; no limit on duplicated fields (validation skips the field-merging rule "for
  speed", and with it graphql-core's own budget for such documents) or aliases; batches of any size;
- a "metrics" depth counter that follows fragment spreads without cycle detection (circular fragments
  crash the request, before validation could refuse them);
- injection in arguments of queries and mutations: SQL (`pastes(filter:)`), NoSQL (`findPastes(where:)`),
  OS command and SSRF (`importPaste(host:, port:, path:, scheme:)` runs curl through a shell), template
  (`previewPaste(content:)` renders Jinja2);
- a JWT accepted with `alg: none`, both as a query argument (`me(token:)`) and in the Authorization header;
- stored XSS: `createPaste` keeps raw HTML that `pastes` returns;
- GraphiQL on /graphiql (whose shared-query links crash into Starlette's debug page), introspection,
  field suggestions, stack traces in errors, mutations over GET.

`create_app(fixed=True)` refuses or repairs each of them. NEVER run outside a test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import sqlite3
import subprocess
import time
import traceback
from pathlib import Path
from typing import Any

import mongomock
from ariadne import MutationType, ObjectType, QueryType, graphql, make_executable_schema
from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLResolveInfo,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)
from graphql.language import DocumentNode, FragmentDefinitionNode, SelectionSetNode
from graphql.validation import OverlappingFieldsCanBeMergedRule
from jinja2 import Environment
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

SCHEMA = Path(__file__).with_name("graphql_lab.graphql")
SDL = SCHEMA.read_text()
SECRET = secrets.token_bytes(32)
USERS = {"alice": ("alice-gql-password", 1), "bob": ("bob-gql-password", 2), "admin": ("admin-gql-password", 3)}
GRAPHIQL = (
    "<!doctype html><html><head><title>GraphiQL</title></head><body><div id=graphiql>Loading GraphiQL…</div>"
    "</body></html>"
)
EXPENSIVE = frozenset({"systemReport"})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(name: str) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps({"sub": name, "exp": int(time.time()) + 900}).encode())
    return f"{header}.{body}.{_b64(hmac.new(SECRET, f'{header}.{body}'.encode(), hashlib.sha256).digest())}"


def subject(token: str, fixed: bool) -> str | None:
    try:
        head, body, signature = token.split(".")
        header, claims = json.loads(_unb64(head)), json.loads(_unb64(body))
    except (ValueError, json.JSONDecodeError):
        return None
    if not fixed and str(header.get("alg", "")).lower() == "none":
        return str(claims.get("sub"))  # FLAW: an unsigned token is taken at its word
    expected = hmac.new(SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest()
    if header.get("alg") != "HS256" or not hmac.compare_digest(expected, _unb64(signature)):
        return None
    return str(claims.get("sub")) if claims.get("exp", 0) > time.time() else None


def limits(max_depth: int, max_same_field: int, max_aliases: int) -> list[type[ASTValidationRule]]:
    """The fixed twin's validation rules: depth, duplicated fields, aliases, expensive fields."""

    class Limits(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            fragments = {
                f.name.value: f for f in self.context.document.definitions if isinstance(f, FragmentDefinitionNode)
            }
            counts = {"aliases": 0, "expensive": 0}
            depth = self._depth(node.selection_set, fragments, counts, set())
            if depth > max_depth:
                self.report_error(GraphQLError(f"query depth {depth} exceeds {max_depth}", node))
            if counts["aliases"] > max_aliases:
                self.report_error(GraphQLError(f"too many aliases ({counts['aliases']})", node))
            if counts["expensive"] > 1:
                self.report_error(GraphQLError("query cost exceeds the budget", node))

        def _depth(
            self, selections: SelectionSetNode | None, fragments: dict[str, Any], counts: dict[str, int], seen: set[str]
        ) -> int:
            if selections is None:
                return 0
            deepest, names = 0, {}
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    name = selection.name.value
                    names[name] = names.get(name, 0) + 1
                    counts["aliases"] += 1 if selection.alias else 0
                    counts["expensive"] += 1 if name in EXPENSIVE else 0
                    deepest = max(deepest, 1 + self._depth(selection.selection_set, fragments, counts, seen))
                elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                    fragment = fragments.get(selection.name.value)
                    if fragment is not None:
                        deepest = max(
                            deepest,
                            self._depth(fragment.selection_set, fragments, counts, seen | {selection.name.value}),
                        )
            if any(n > max_same_field for n in names.values()):
                self.report_error(GraphQLError("a field is selected too many times", selections))
            return deepest

    return [Limits]


def fast_validate(
    schema: Any, document_ast: DocumentNode, rules: Any = None, max_errors: int | None = None, type_info: Any = None
) -> list[GraphQLError]:
    """FLAW (flawed twin): validation without the field-merging rule, which "costs too much"."""
    chosen = [rule for rule in (rules or specified_rules) if rule is not OverlappingFieldsCanBeMergedRule]
    return validate(schema, document_ast, chosen, max_errors=max_errors)


def naive_depth(selections: SelectionSetNode | None, document: DocumentNode) -> int:
    """FLAW (flawed twin): metrics code that follows fragment spreads without remembering where it has been."""
    if selections is None:
        return 0
    deepest = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + naive_depth(selection.selection_set, document))
        elif isinstance(selection, FragmentSpreadNode):
            for definition in document.definitions:
                if isinstance(definition, FragmentDefinitionNode) and definition.name.value == selection.name.value:
                    deepest = max(deepest, naive_depth(definition.selection_set, document))
    return deepest


class Store:
    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(
            "CREATE TABLE pastes (id INTEGER PRIMARY KEY, title TEXT, content TEXT, owner INTEGER);"
            "INSERT INTO pastes (title, content, owner) VALUES ('welcome', 'hello world', 1), "
            "('notes', 'bob notes', 2);"
        )
        self.mongo = mongomock.MongoClient().lab.pastes
        self.mongo.insert_many([{"title": "welcome", "id": 1}, {"title": "notes", "id": 2}])

    def paste(self, row: sqlite3.Row) -> dict[str, Any]:
        return dict(row)

    def owner(self, owner_id: int) -> dict[str, Any] | None:
        name = next((n for n, (_, i) in USERS.items() if i == owner_id), None)
        return {"id": owner_id, "name": name} if name else None


def build(fixed: bool, store: Store) -> Any:
    query, mutation, paste, owner = QueryType(), MutationType(), ObjectType("Paste"), ObjectType("Owner")

    @query.field("pastes")
    def pastes(_: Any, info: GraphQLResolveInfo, filter: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
        limit = min(limit, 50) if fixed else limit
        if filter is None:
            rows = store.db.execute("SELECT * FROM pastes ORDER BY id LIMIT ?", (limit,)).fetchall()
        elif fixed:
            rows = store.db.execute(
                "SELECT * FROM pastes WHERE title LIKE ? LIMIT ?", (f"%{filter}%", limit)
            ).fetchall()
        else:  # FLAW: the argument becomes SQL
            rows = store.db.execute(f"SELECT * FROM pastes WHERE title LIKE '%{filter}%' LIMIT {limit}").fetchall()  # noqa: S608
        return [store.paste(r) for r in rows]

    @query.field("paste")
    def one(_: Any, info: GraphQLResolveInfo, id: str) -> dict[str, Any] | None:
        row = store.db.execute("SELECT * FROM pastes WHERE id = ?", (id,)).fetchone()
        return store.paste(row) if row else None

    @query.field("findPastes")
    def find(_: Any, info: GraphQLResolveInfo, where: str) -> list[dict[str, Any]]:
        condition: Any = where
        if not fixed:
            try:  # FLAW: a JSON string becomes a Mongo query, operators included
                condition = json.loads(where)
            except json.JSONDecodeError:
                condition = where
        found = store.mongo.find({"title": condition})
        ids = [d["id"] for d in found]
        return [one(None, info, str(i)) for i in ids if one(None, info, str(i))]

    @query.field("owners")
    def owners(*_: Any) -> list[dict[str, Any]]:
        return [store.owner(i) for _, (_, i) in USERS.items()]

    @query.field("me")
    def me(_: Any, info: GraphQLResolveInfo, token: str) -> dict[str, Any] | None:
        name = subject(token, fixed)
        return store.owner(USERS[name][1]) if name in USERS else None

    @query.field("viewer")
    def viewer(_: Any, info: GraphQLResolveInfo) -> dict[str, Any] | None:
        name = info.context["subject"]
        return store.owner(USERS[name][1]) if name in USERS else None

    @query.field("systemHealth")
    def health(*_: Any) -> str:
        return "ok"

    @query.field("systemReport")
    def report(*_: Any) -> str:
        time.sleep(0.25)  # an expensive report
        return "all systems nominal"

    @mutation.field("login")
    def login(_: Any, info: GraphQLResolveInfo, username: str, password: str) -> dict[str, str] | None:
        known = USERS.get(username)
        if known is None or not hmac.compare_digest(known[0], password):
            raise GraphQLError("invalid credentials")
        return {"accessToken": issue(username)}

    @mutation.field("createPaste")
    def create(_: Any, info: GraphQLResolveInfo, title: str, content: str) -> dict[str, Any]:
        name = info.context["subject"] or "alice"
        if fixed:
            title, content = html.escape(title), html.escape(content)  # FLAW (flawed twin): raw HTML kept
        cursor = store.db.execute(
            "INSERT INTO pastes (title, content, owner) VALUES (?, ?, ?)", (title[:200], content[:2000], USERS[name][1])
        )
        return one(None, info, str(cursor.lastrowid)) or {}

    @mutation.field("previewPaste")
    def preview(_: Any, info: GraphQLResolveInfo, content: str) -> str:
        if fixed:
            return html.escape(content)
        return Environment(autoescape=True).from_string(content[:2000]).render()  # FLAW: input as a template

    @mutation.field("importPaste")
    def import_paste(_: Any, info: GraphQLResolveInfo, host: str, port: int, path: str, scheme: str) -> str:
        if fixed:
            if host != "pastebin.example" or scheme != "https":
                raise GraphQLError("imports come from https://pastebin.example only")
            return "imported"
        command = f"curl -s --max-time 2 {scheme}://{host}:{port}{path}"  # FLAW: a shell line from arguments
        result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=10)  # noqa: S602
        return (result.stdout + result.stderr)[-2000:]

    @mutation.field("deletePaste")
    def delete(_: Any, info: GraphQLResolveInfo, id: str) -> bool:
        return store.db.execute("DELETE FROM pastes WHERE id = ?", (id,)).rowcount > 0

    paste.set_field("owner", lambda row, *_: store.owner(row["owner"]))
    owner.set_field(
        "pastes",
        lambda row, *_: [
            store.paste(r) for r in store.db.execute("SELECT * FROM pastes WHERE owner = ?", (row["id"],))
        ],
    )
    return make_executable_schema(SDL, query, mutation, paste, owner)


def create_app(fixed: bool = False) -> Starlette:
    store = Store()
    schema = build(fixed, store)
    rules = limits(max_depth=8, max_same_field=20, max_aliases=15) if fixed else []

    def strip_suggestions(error: GraphQLError, debug: bool = False) -> dict[str, Any]:
        message = error.message.split(" Did you mean")[0] if fixed else error.message
        formatted: dict[str, Any] = {"message": message}
        if error.path:
            formatted["path"] = error.path
        if debug and not fixed and error.original_error is not None:  # FLAW: the trace goes to the client
            formatted["extensions"] = {"exception": {"stacktrace": traceback.format_exception(error.original_error)}}
        return formatted

    async def execute(request: Request, data: Any) -> tuple[int, dict[str, Any]]:
        header = request.headers.get("authorization", "")
        who = subject(header[7:], fixed) if header.lower().startswith("bearer ") else None
        if not fixed and isinstance(data, dict) and isinstance(data.get("query"), str):
            try:  # "metrics": the depth of every query, before validation
                document = parse(data["query"])
                for definition in document.definitions:
                    if isinstance(definition, OperationDefinitionNode):
                        naive_depth(definition.selection_set, document)
            except RecursionError as exc:
                trace = traceback.format_exception(exc)[-6:]
                return 500, {"errors": [{"message": f"{exc}", "extensions": {"exception": {"stacktrace": trace}}}]}
            except GraphQLError:
                pass
        ok, result = await graphql(
            schema,
            data,
            context_value={"subject": who},
            debug=not fixed,
            introspection=not fixed,
            validation_rules=rules,
            query_validator=None if fixed else fast_validate,
            error_formatter=strip_suggestions,
        )
        return (200 if ok else 400), result

    async def endpoint(request: Request) -> Response:
        if request.method == "GET":
            if "text/html" in request.headers.get("accept", "") and not fixed:
                return HTMLResponse(GRAPHIQL)  # FLAW: the IDE on the API endpoint
            data: Any = {"query": request.query_params.get("query")}
            if fixed and "mutation" in (data["query"] or "").lower():
                return JSONResponse({"errors": [{"message": "mutations need POST"}]}, status_code=405)
        else:
            try:
                data = json.loads(await request.body())
            except json.JSONDecodeError:
                return JSONResponse({"errors": [{"message": "body is not JSON"}]}, status_code=400)
        if isinstance(data, list):
            if fixed and len(data) > 1:
                return JSONResponse({"errors": [{"message": "batching is disabled"}]}, status_code=400)
            return JSONResponse([(await execute(request, item))[1] for item in data])
        status, result = await execute(request, data)
        return JSONResponse(result, status_code=status)

    async def graphiql(request: Request) -> Response:
        if fixed:
            return JSONResponse({"error": "not found"}, status_code=404)
        if "query" in request.query_params:  # the IDE's "share this query" links, parsed unguarded
            parse(request.query_params["query"])  # FLAW: a bad one crashes into the debug page
        return HTMLResponse(GRAPHIQL)  # FLAW: an in-browser IDE for anyone

    routes = [Route("/graphql", endpoint, methods=["GET", "POST"]), Route("/graphiql", graphiql)]
    return Starlette(routes=routes, debug=not fixed)  # FLAW (flawed twin): debug pages with tracebacks
