"""A small GraphQL API (ariadne on Starlette) with planted flaws, for `bastion scan --graphql` and
the graphql guard's tests. Do not deploy it.

Planted flaws, each one a scanner check:
- introspection on, and validation errors that suggest field names ("Did you mean ...");
- no depth or cost limit: `friends` nests without end, `first` takes any size;
- aliases and batches run as many logins as a request holds, with no throttle;
- `User.email` and `User.apiToken` are readable by any signed-in user, for any user (field-level
  authorization missing), and `setRole` is open to any signed-in user (function level);
- `search(text:)` builds its SQL from the argument (SQL injection);
- errors carry the Python exception and stack trace (debug mode);
- mutations run over GET (cross-site request forgery).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from pathlib import Path
from typing import Any

import orjson
from ariadne import MutationType, ObjectType, QueryType, graphql, load_schema_from_path, make_executable_schema
from graphql import GraphQLResolveInfo, GraphQLSchema
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Row = dict[str, Any]
SCHEMA_FILE = Path(__file__).with_name("schema.graphql")
JWT_SECRET = os.environ.get("GRAPHQL_DEMO_JWT_SECRET", "graphql-demo-secret-please-change-it-now")
ISSUER = "graphql-demo"
USERS = [
    # id, username, password, role, name, email
    (1, "alice", "alice-password-1", "user", "Alice Liddell", "alice@example.com"),
    (2, "bob", "bob-password-2", "user", "Bob Builder", "bob@example.com"),
    (3, "admin", "admin-password-3", "admin", "Ada Admin", "admin@example.com"),
]


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.row_factory = lambda cursor, row: {column[0]: row[i] for i, column in enumerate(cursor.description)}
    db.executescript(
        """
        CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE, password TEXT, role TEXT,
                            name TEXT, bio TEXT, email TEXT, api_token TEXT);
        CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT, body TEXT, tags TEXT,
                            created_at TEXT);
        CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER, author_id INTEGER, body TEXT);
        CREATE TABLE friends (user_id INTEGER, friend_id INTEGER);
        """
    )
    for uid, username, password, role, name, email in USERS:
        db.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (uid, username, password, role, name, "", email, f"tok_{username}_{secrets.token_hex(8)}"),
        )
    topics = ["graphql", "security", "python", "databases", "testing"]
    for pid in range(1, 31):
        author = pid % 3 + 1
        db.execute(
            "INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?)",
            (
                pid,
                author,
                f"Post number {pid}",
                f"Body of post {pid} about {topics[pid % 5]}.",
                f"{topics[pid % 5]},{topics[(pid + 1) % 5]}",
                f"2026-11-{pid % 28 + 1:02d}T10:00:00Z",
            ),
        )
        for cid in range(2):
            db.execute(
                "INSERT INTO comments (post_id, author_id, body) VALUES (?, ?, ?)",
                (pid, (pid + cid) % 3 + 1, f"Comment {cid} on post {pid}"),
            )
    db.executemany("INSERT INTO friends VALUES (?, ?)", [(1, 2), (2, 1), (1, 3), (3, 1), (2, 3), (3, 2)])
    db.commit()
    return db


def issue_token(user: Row) -> str:
    now = int(time.time())
    claims = {"sub": str(user["id"]), "role": user["role"], "iss": ISSUER, "aud": ISSUER, "iat": now, "exp": now + 3600}
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(JWT_SECRET))


def _viewer(request: Request, db: sqlite3.Connection) -> Row | None:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        return None
    try:
        token = jwt.decode(auth[7:].strip(), OctKey.import_key(JWT_SECRET), algorithms=["HS256"])
    except (JoseError, ValueError):
        return None
    if token.claims.get("exp", 0) < time.time():
        return None
    row: Row | None = db.execute("SELECT * FROM users WHERE id = ?", (token.claims.get("sub"),)).fetchone()
    return row


def _build_schema(db: sqlite3.Connection) -> GraphQLSchema:  # noqa: PLR0915  the schema's resolvers as closures over the demo's database
    query, mutation = QueryType(), MutationType()
    user, post, comment, connection = (
        ObjectType("User"),
        ObjectType("Post"),
        ObjectType("Comment"),
        ObjectType("PostConnection"),
    )

    def signed_in(info: GraphQLResolveInfo) -> Row:
        viewer = info.context["viewer"]
        if viewer is None:
            raise PermissionError("sign in first")
        return viewer

    def page(first: int | None) -> int:
        return max(0, first if first is not None else 10)  # FLAW: no upper bound

    @query.field("health")
    def resolve_health(*_: Any) -> str:
        return "ok"

    @query.field("me")
    def resolve_me(_: Any, info: GraphQLResolveInfo) -> Row | None:
        return info.context["viewer"]

    @query.field("user")
    def resolve_user(_: Any, info: GraphQLResolveInfo, id: str) -> Row | None:
        signed_in(info)  # FLAW: any signed-in user reads any user, email and apiToken included
        return db.execute("SELECT * FROM users WHERE id = ?", (id,)).fetchone()

    @query.field("users")
    def resolve_users(_: Any, info: GraphQLResolveInfo, first: int = 10) -> list[Row]:
        signed_in(info)
        return db.execute("SELECT * FROM users ORDER BY id LIMIT ?", (page(first),)).fetchall()

    @query.field("post")
    def resolve_post(_: Any, info: GraphQLResolveInfo, id: str) -> Row | None:
        return db.execute("SELECT * FROM posts WHERE id = ?", (id,)).fetchone()

    @query.field("posts")
    def resolve_posts(
        _: Any, info: GraphQLResolveInfo, first: int = 10, after: str | None = None, tag: str | None = None
    ) -> dict[str, Any]:
        start = int(after) if after and after.isdigit() else 0
        sql, params = "SELECT * FROM posts WHERE id > ?", [start]
        if tag:
            sql += " AND (',' || tags || ',') LIKE ?"
            params.append(f"%,{tag},%")
        rows = db.execute(sql + " ORDER BY id LIMIT ?", (*params, page(first))).fetchall()
        total = db.execute("SELECT count(*) AS n FROM posts").fetchone()["n"]
        return {"rows": rows, "total": total}

    @query.field("search")
    def resolve_search(_: Any, info: GraphQLResolveInfo, text: str, first: int = 10) -> list[Row]:
        # FLAW: the argument is pasted into the SQL
        sql = f"SELECT * FROM posts WHERE title LIKE '%{text}%' OR body LIKE '%{text}%' ORDER BY id LIMIT {page(first)}"
        return db.execute(sql).fetchall()

    @mutation.field("login")
    def resolve_login(_: Any, info: GraphQLResolveInfo, username: str, password: str) -> dict[str, Any] | None:
        row = db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        if row is None or not secrets.compare_digest(row["password"], password):  # FLAW: no throttle
            raise PermissionError("invalid username or password")
        return {"token": issue_token(row), "user": row}

    @mutation.field("createPost")
    def resolve_create_post(
        _: Any, info: GraphQLResolveInfo, title: str, body: str, tags: list[str] | None = None
    ) -> Row:
        viewer = signed_in(info)
        cursor = db.execute(
            "INSERT INTO posts (author_id, title, body, tags, created_at) VALUES (?, ?, ?, ?, ?)",
            (viewer["id"], title, body, ",".join(tags or []), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
        )
        return db.execute("SELECT * FROM posts WHERE id = ?", (cursor.lastrowid,)).fetchone()

    @mutation.field("addComment")
    def resolve_add_comment(_: Any, info: GraphQLResolveInfo, postId: str, body: str) -> Row:
        viewer = signed_in(info)
        cursor = db.execute(
            "INSERT INTO comments (post_id, author_id, body) VALUES (?, ?, ?)", (postId, viewer["id"], body)
        )
        return db.execute("SELECT * FROM comments WHERE id = ?", (cursor.lastrowid,)).fetchone()

    @mutation.field("updateProfile")
    def resolve_update_profile(
        _: Any, info: GraphQLResolveInfo, name: str | None = None, bio: str | None = None
    ) -> Row:
        viewer = signed_in(info)
        db.execute(
            "UPDATE users SET name = coalesce(?, name), bio = coalesce(?, bio) WHERE id = ?", (name, bio, viewer["id"])
        )
        return db.execute("SELECT * FROM users WHERE id = ?", (viewer["id"],)).fetchone()

    @mutation.field("deletePost")
    def resolve_delete_post(_: Any, info: GraphQLResolveInfo, id: str) -> bool:
        viewer = signed_in(info)
        return db.execute("DELETE FROM posts WHERE id = ? AND author_id = ?", (id, viewer["id"])).rowcount > 0

    @mutation.field("setRole")
    def resolve_set_role(_: Any, info: GraphQLResolveInfo, userId: str, role: str) -> Row | None:
        signed_in(info)  # FLAW: not restricted to admins
        db.execute("UPDATE users SET role = ? WHERE id = ?", (role, userId))
        return db.execute("SELECT * FROM users WHERE id = ?", (userId,)).fetchone()

    user.set_field("apiToken", lambda row, *_: row["api_token"])
    user.set_field(
        "posts",
        lambda row, _info, first=10: db.execute(
            "SELECT * FROM posts WHERE author_id = ? ORDER BY id LIMIT ?", (row["id"], page(first))
        ).fetchall(),
    )
    user.set_field(
        "friends",
        lambda row, _info, first=10: db.execute(
            "SELECT u.* FROM friends f JOIN users u ON u.id = f.friend_id WHERE f.user_id = ? LIMIT ?",
            (row["id"], page(first)),
        ).fetchall(),
    )
    post.set_field("tags", lambda row, *_: [t for t in row["tags"].split(",") if t])
    post.set_field("createdAt", lambda row, *_: row["created_at"])
    post.set_field(
        "author", lambda row, *_: db.execute("SELECT * FROM users WHERE id = ?", (row["author_id"],)).fetchone()
    )
    post.set_field(
        "comments",
        lambda row, _info, first=10: db.execute(
            "SELECT * FROM comments WHERE post_id = ? ORDER BY id LIMIT ?", (row["id"], page(first))
        ).fetchall(),
    )
    comment.set_field(
        "author", lambda row, *_: db.execute("SELECT * FROM users WHERE id = ?", (row["author_id"],)).fetchone()
    )
    connection.set_field("totalCount", lambda value, *_: value["total"])
    connection.set_field("edges", lambda value, *_: [{"cursor": str(r["id"]), "node": r} for r in value["rows"]])
    connection.set_field(
        "pageInfo",
        lambda value, *_: {
            "hasNextPage": bool(value["rows"]) and value["rows"][-1]["id"] < value["total"],
            "endCursor": str(value["rows"][-1]["id"]) if value["rows"] else None,
        },
    )
    return make_executable_schema(
        load_schema_from_path(str(SCHEMA_FILE)), query, mutation, user, post, comment, connection
    )


def create_app() -> Starlette:
    db = _database()
    schema = _build_schema(db)

    async def execute(request: Request, data: Any) -> dict[str, Any]:
        # FLAW: debug=True puts the exception and its stack trace into every error
        _, result = await graphql(schema, data, context_value={"viewer": _viewer(request, db)}, debug=True)
        return result

    async def endpoint(request: Request) -> Response:
        if request.method == "GET":  # FLAW: mutations run over GET too
            params = dict(request.query_params)
            data: Any = {"query": params.get("query"), "operationName": params.get("operationName")}
            if params.get("variables"):
                try:
                    data["variables"] = orjson.loads(params["variables"])
                except orjson.JSONDecodeError:
                    return JSONResponse({"errors": [{"message": "variables are not JSON"}]}, status_code=400)
        elif request.headers.get("content-type", "").startswith("application/graphql"):
            data = {"query": (await request.body()).decode()}
        else:
            try:
                data = orjson.loads(await request.body())
            except orjson.JSONDecodeError:
                return JSONResponse({"errors": [{"message": "body is not JSON"}]}, status_code=400)
        if isinstance(data, list):  # FLAW: batches of any size
            return JSONResponse([await execute(request, item) for item in data])
        return JSONResponse(await execute(request, data))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/graphql", endpoint, methods=["GET", "POST"]), Route("/health", health)])
