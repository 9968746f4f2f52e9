"""A small shop API on SQLite, deliberately flawed in the classic ways. NEVER deploy it.

It exists so that Bastion's gateway has something real to protect and `bastion scan` something real
to find. The planted flaws (each marked FLAW below):

- SQL injection in the product search (string-built SQL);
- broken object-level authorization: any user reads any user's orders and any order;
- mass assignment on registration and profile update (`role`, `is_admin`, `balance` accepted);
- verbose errors: Starlette debug mode returns stack traces;
- an unauthenticated, undocumented debug endpoint that dumps users with password hashes;
- no rate limit or lockout on login, and login answers say whether the user exists;
- oversharing: user objects carry `password_hash` although the spec does not declare it;
- broken function-level authorization: an admin operation that only checks that you are logged in;
- a weak JWT HMAC secret (`secret`) unless DEMO_JWT_SECRET is set;
- TRACE echoes the request (including cookies and Authorization), and a Server banner is sent;
- it trusts the X-Bastion-Subject Bastion forwards for API keys, which is only safe behind Bastion.

Run: `python -m examples.demo_api [--port 8001]`. DEMO_DB chooses the SQLite file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

HERE = Path(__file__).parent
SPEC = HERE / "openapi.yaml"
JWT_SECRET = os.environ.get("DEMO_JWT_SECRET", "secret")  # FLAW: weak HMAC secret by default
TOKEN_TTL = 3600

SEED_USERS = [
    # username, password, role, email, balance
    ("alice", "alice-password-1", "user", "alice@example.com", 120.0),
    ("bob", "bob-password-1", "user", "bob@example.com", 35.5),
    ("admin", "admin-password-1", "admin", "admin@example.com", 0.0),
]
SEED_PRODUCTS = [
    ("Widget", "A small widget", 9.99),
    ("Gadget", "A useful gadget", 24.5),
    ("Gizmo", "An odd gizmo", 3.25),
    ("Doohickey", "Spare part for the widget", 1.75),
]


def _hash(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()  # FLAW: fast unsalted hash


def database_path() -> str:
    path = os.environ.get("DEMO_DB")
    if not path:
        path = str(Path(tempfile.gettempdir()) / f"bastion-demo-{os.getpid()}.db")
        os.environ["DEMO_DB"] = path
    return path


def connect() -> sqlite3.Connection:
    conn = sqlite3.connect(database_path(), timeout=5)
    conn.row_factory = sqlite3.Row
    return conn


def init_db() -> None:
    with connect() as db:
        db.executescript(
            """
            DROP TABLE IF EXISTS users; DROP TABLE IF EXISTS products; DROP TABLE IF EXISTS orders;
            CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, password_hash TEXT,
                email TEXT, role TEXT DEFAULT 'user', is_admin INTEGER DEFAULT 0, balance REAL DEFAULT 0);
            CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, description TEXT, price REAL);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, product_id INTEGER, quantity INTEGER,
                note TEXT, created REAL);
            """
        )
        for username, password, role, email, balance in SEED_USERS:
            db.execute(
                "INSERT INTO users (username, password_hash, email, role, is_admin, balance) VALUES (?,?,?,?,?,?)",
                (username, _hash(password), email, role, int(role == "admin"), balance),
            )
        db.executemany("INSERT INTO products (name, description, price) VALUES (?,?,?)", SEED_PRODUCTS)
        db.executemany(
            "INSERT INTO orders (user_id, product_id, quantity, note, created) VALUES (?,?,?,?,?)",
            [(1, 1, 2, "alice's first order", time.time()), (2, 2, 1, "bob's order", time.time())],
        )


def _user_doc(row: sqlite3.Row) -> dict[str, Any]:
    return dict(row)  # FLAW: returns every column, password_hash included


def issue_token(user: sqlite3.Row) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user["id"]),
        "name": user["username"],
        "role": user["role"],
        "iat": now,
        "exp": now + TOKEN_TTL,
        "iss": "demo-api",
        "aud": "demo-api",
    }
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(JWT_SECRET))


def current_user(request: Request) -> sqlite3.Row | None:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        return forwarded_user(request)
    try:
        token = jwt.decode(auth[7:].strip(), OctKey.import_key(JWT_SECRET), algorithms=["HS256"])
    except (JoseError, ValueError):
        return None
    if token.claims.get("exp", 0) < time.time():
        return None
    with connect() as db:
        row: sqlite3.Row | None = db.execute("SELECT * FROM users WHERE id = ?", (token.claims.get("sub"),)).fetchone()
        return row


def forwarded_user(request: Request) -> sqlite3.Row | None:
    """The identity Bastion forwards for an API key (`bastion keys create --name alice ...`): subject
    `key:<name>`, looked up as the demo user of that name. Bastion strips every X-Bastion-* header a
    client sends, so behind it this is the verified caller. FLAW when reached directly (port 8001):
    anyone can send these headers; only the gateway may reach an API that trusts them."""
    if request.headers.get("x-bastion-auth-method") != "api_key":
        return None
    name = request.headers.get("x-bastion-subject", "").removeprefix("key:")
    with connect() as db:
        row: sqlite3.Row | None = db.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
        return row


def problem(status: int, title: str) -> JSONResponse:
    return JSONResponse({"title": title, "status": status}, status_code=status)


async def json_body(request: Request) -> dict[str, Any]:
    data = await request.json()
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


# -- endpoints ------------------------------------------------------------------------------------------


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def openapi(request: Request) -> Response:
    return FileResponse(SPEC, media_type="application/yaml")


async def register(request: Request) -> Response:
    data = await json_body(request)
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username or len(password) < 8:
        return problem(400, "username and a password of 8+ characters are required")
    # FLAW (mass assignment): every known column in the body is written, role and balance included.
    fields = {
        "username": username,
        "password_hash": _hash(password),
        "email": data.get("email"),
        "role": data.get("role", "user"),
        "is_admin": int(bool(data.get("is_admin", False))),
        "balance": data.get("balance", 0),
    }
    with connect() as db:
        try:
            cur = db.execute(
                "INSERT INTO users (username, password_hash, email, role, is_admin, balance) VALUES (?,?,?,?,?,?)",
                tuple(fields.values()),
            )
        except sqlite3.IntegrityError:
            return problem(409, "username taken")
        row = db.execute("SELECT * FROM users WHERE id = ?", (cur.lastrowid,)).fetchone()
    return JSONResponse(_user_doc(row), status_code=201)


async def login(request: Request) -> Response:
    # FLAW: no rate limit, no lockout.
    data = await json_body(request)
    with connect() as db:
        row = db.execute("SELECT * FROM users WHERE username = ?", (data.get("username"),)).fetchone()
    if row is None:
        return problem(401, "unknown user")  # FLAW: user enumeration
    if row["password_hash"] != _hash(str(data.get("password", ""))):
        return problem(401, "wrong password")
    return JSONResponse({"access_token": issue_token(row), "token_type": "Bearer", "expires_in": TOKEN_TTL})


async def me(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return problem(401, "authentication required")
    if request.method == "PATCH":
        data = await json_body(request)
        # FLAW (mass assignment): any column may be updated, role and balance included.
        allowed = {"email", "role", "is_admin", "balance", "username"}
        updates = {k: v for k, v in data.items() if k in allowed}
        if updates:
            with connect() as db:
                sets = ", ".join(f"{k} = ?" for k in updates)
                db.execute(f"UPDATE users SET {sets} WHERE id = ?", (*updates.values(), user["id"]))
        user = current_user(request)
        assert user is not None
    return JSONResponse(_user_doc(user))


async def get_user(request: Request) -> Response:
    if current_user(request) is None:
        return problem(401, "authentication required")
    with connect() as db:
        row = db.execute("SELECT * FROM users WHERE id = ?", (request.path_params["user_id"],)).fetchone()
    if row is None:
        return problem(404, "no such user")
    # FLAW (BOLA, oversharing): any user's full record, hash included.
    return JSONResponse(_user_doc(row))


async def user_orders(request: Request) -> Response:
    if current_user(request) is None:
        return problem(401, "authentication required")
    # FLAW (BOLA): no check that the caller is this user.
    with connect() as db:
        rows = db.execute("SELECT * FROM orders WHERE user_id = ?", (request.path_params["user_id"],)).fetchall()
    return JSONResponse([dict(r) for r in rows])


async def create_order(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return problem(401, "authentication required")
    data = await json_body(request)
    quantity = data.get("quantity", 1)
    product_id = data["product_id"]  # a missing field raises: the debug page shows the traceback
    with connect() as db:
        product = db.execute("SELECT * FROM products WHERE id = ?", (product_id,)).fetchone()
        total = product["price"] * quantity  # None product -> TypeError -> stack trace (FLAW: verbose errors)
        cur = db.execute(
            "INSERT INTO orders (user_id, product_id, quantity, note, created) VALUES (?,?,?,?,?)",
            (user["id"], product_id, quantity, data.get("note"), time.time()),
        )
        row = db.execute("SELECT * FROM orders WHERE id = ?", (cur.lastrowid,)).fetchone()
    return JSONResponse({**dict(row), "total": total}, status_code=201)


async def order(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return problem(401, "authentication required")
    order_id = request.path_params["order_id"]
    with connect() as db:
        row = db.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        if row is None:
            return problem(404, "no such order")
        # FLAW (BOLA): read, update and delete without checking that the order is the caller's.
        if request.method == "DELETE":
            db.execute("DELETE FROM orders WHERE id = ?", (order_id,))
            return Response(status_code=204)
        if request.method == "PATCH":
            data = await json_body(request)
            if "note" in data:
                db.execute("UPDATE orders SET note = ? WHERE id = ?", (data["note"], order_id))
            if "quantity" in data:
                db.execute("UPDATE orders SET quantity = ? WHERE id = ?", (data["quantity"], order_id))
            row = db.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
    return JSONResponse(dict(row))


async def products(request: Request) -> Response:
    with connect() as db:
        rows = db.execute("SELECT * FROM products").fetchall()
    return JSONResponse([dict(r) for r in rows])


async def product(request: Request) -> Response:
    with connect() as db:
        row = db.execute("SELECT * FROM products WHERE id = ?", (request.path_params["product_id"],)).fetchone()
    if row is None:
        return problem(404, "no such product")
    return JSONResponse(dict(row))


async def search(request: Request) -> Response:
    q = request.query_params.get("q", "")
    with connect() as db:
        # FLAW (SQL injection): the search term is pasted into the SQL text.
        rows = db.execute(f"SELECT id, name, description, price FROM products WHERE name LIKE '%{q}%'").fetchall()
    return JSONResponse([dict(r) for r in rows])


async def admin_users(request: Request) -> Response:
    user = current_user(request)
    if user is None or user["role"] != "admin":
        return problem(403, "admins only")
    with connect() as db:
        rows = db.execute("SELECT id, username, email, role FROM users").fetchall()
    return JSONResponse([dict(r) for r in rows])


async def admin_stats(request: Request) -> Response:
    # FLAW (BFLA): an admin operation that only checks that the caller is logged in.
    if current_user(request) is None:
        return problem(401, "authentication required")
    with connect() as db:
        users = db.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        revenue = db.execute(
            "SELECT COALESCE(SUM(o.quantity * p.price), 0) FROM orders o JOIN products p ON p.id = o.product_id"
        ).fetchone()[0]
    return JSONResponse({"users": users, "revenue": revenue})


async def debug_users(request: Request) -> Response:
    # FLAW: unauthenticated, undocumented debug endpoint leaking every user with password hashes.
    with connect() as db:
        rows = db.execute("SELECT * FROM users").fetchall()
    return JSONResponse({"debug": True, "users": [dict(r) for r in rows]})


async def trace(request: Request) -> Response:
    # FLAW: TRACE echoes the request, headers included (cross-site tracing).
    lines = [f"{request.method} {request.url.path} HTTP/1.1"] + [f"{k}: {v}" for k, v in request.headers.items()]
    return PlainTextResponse("\r\n".join(lines), media_type="message/http")


async def banner(request: Request, call_next: Any) -> Response:
    response: Response = await call_next(request)
    response.headers["Server"] = "DemoShop/1.4.2 (Python/SQLite)"  # FLAW: version banner
    response.headers["X-Powered-By"] = "Starlette"
    return response


def create_app() -> Starlette:
    init_db()

    routes = [
        Route("/api/health", health, methods=["GET"]),
        Route("/openapi.yaml", openapi, methods=["GET"]),
        Route("/api/register", register, methods=["POST"]),
        Route("/api/login", login, methods=["POST"]),
        Route("/api/users/me", me, methods=["GET", "PATCH"]),
        Route("/api/users/{user_id}", get_user, methods=["GET"]),
        Route("/api/users/{user_id}/orders", user_orders, methods=["GET"]),
        Route("/api/orders", create_order, methods=["POST"]),
        Route("/api/orders/{order_id}", order, methods=["GET", "PATCH", "DELETE"]),
        Route("/api/products", products, methods=["GET"]),
        Route("/api/products/search", search, methods=["GET"]),
        Route("/api/products/{product_id}", product, methods=["GET"]),
        Route("/api/admin/users", admin_users, methods=["GET"]),
        Route("/api/admin/stats", admin_stats, methods=["GET"]),
        Route("/api/debug/users", debug_users, methods=["GET"]),
        Route("/{path:path}", trace, methods=["TRACE"]),
    ]
    debug = os.environ.get("DEMO_DEBUG", "1") == "1"  # FLAW: debug tracebacks in responses
    return Starlette(debug=debug, routes=routes, middleware=[Middleware(BaseHTTPMiddleware, dispatch=banner)])
