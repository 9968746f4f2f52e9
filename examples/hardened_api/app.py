"""A small notes API written the careful way: the counterpart of examples/demo_api for `bastion scan`.

A scanner is only useful if a well-behaved API comes out clean; this one is what the scan's
false-positive test runs against. What it does right, against each classic flaw:

- parameterised SQL only; inputs validated by typed models (lengths, ranges, no extra properties);
- passwords hashed with Argon2id; unknown users cost the same time (a dummy hash) and get the same answer;
- failed logins per client and per account are throttled (429 + Retry-After), and the credential
  operations advertise their limits with RateLimit headers;
- JWTs: random 32-byte HS256 secret, algorithm allow-list, exp/iss/aud verified;
- every note belongs to its author (others get 404); admin operations check the role;
- responses are explicit models (no hash, no internal columns); errors are generic problem bodies;
- security headers on every response, no Server banner, no TRACE, no debug endpoints, no CORS.

Its OpenAPI description is the one FastAPI generates (GET /openapi.json). Seeded users: alice, bob
(role user) and admin (role admin); passwords from HARDENED_PASSWORD (default below; tests only).
"""

import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.jwt import JWTClaimsRegistry
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

ISSUER = "hardened-notes"
TOKEN_TTL = 900
MAX_ID = 2_147_483_647
USERNAME = r"^[a-z0-9_.-]{3,32}$"
PASSWORD = os.environ.get("HARDENED_PASSWORD", "correct-horse-battery-1")

hasher = PasswordHasher()
DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Registration(Strict):
    username: str = Field(pattern=USERNAME, min_length=3, max_length=32)
    password: str = Field(min_length=12, max_length=128)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]{1,190}$")


class Credentials(Strict):
    username: str = Field(min_length=1, max_length=32)
    password: str = Field(min_length=1, max_length=128)


class ProfileUpdate(Strict):
    email: str = Field(max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]{1,190}$")


class NoteIn(Strict):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(default="", max_length=5000)


class NotePatch(Strict):
    title: str | None = Field(default=None, min_length=1, max_length=120)
    body: str | None = Field(default=None, max_length=5000)


class User(BaseModel):
    id: int
    username: str
    email: str | None
    role: str


class Note(BaseModel):
    id: int
    title: str
    body: str


class Token(BaseModel):
    access_token: str
    token_type: str
    expires_in: int


class Throttle:
    """Events (failed logins, requests) per key in a sliding window; past the limit, wait for Retry-After."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        with self._lock:
            now = time.monotonic()
            recent = [t for t in self._failures.get(key, []) if now - t < self.window]
            self._failures[key] = recent
            return int(self.window - (now - recent[0])) + 1 if len(recent) >= self.limit else 0

    def fail(self, key: str) -> None:
        with self._lock:
            self._failures.setdefault(key, []).append(time.monotonic())


class Store:
    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.lock = threading.Lock()
        self.db.executescript(
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL,
                email TEXT, role TEXT NOT NULL DEFAULT 'user');
            CREATE TABLE notes (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, title TEXT NOT NULL,
                body TEXT NOT NULL);
            """
        )
        for name, role in (("alice", "user"), ("bob", "user"), ("admin", "admin")):
            self.execute(
                "INSERT INTO users (username, password_hash, email, role) VALUES (?, ?, ?, ?)",
                (name, hasher.hash(PASSWORD), f"{name}@example.com", role),
            )

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self.lock:
            cursor = self.db.execute(sql, args)
            self.db.commit()
            return cursor

    def one(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        with self.lock:
            row: sqlite3.Row | None = self.db.execute(sql, args).fetchone()
            return row

    def all(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return list(self.db.execute(sql, args).fetchall())


def problem(status: int, title: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status},
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )


def create_app() -> FastAPI:  # noqa: PLR0915  the app's routes as closures over its store, keys and throttles
    store = Store()
    key = OctKey.import_key(secrets.token_bytes(32))
    per_client = Throttle(limit=20, window=60)
    per_account = Throttle(limit=5, window=60)
    bearer = HTTPBearer(auto_error=False)
    app = FastAPI(title="Hardened Notes API", version="1.0.0", docs_url=None, redoc_url=None)
    login_policy = {"RateLimit-Policy": '"failures";q=5;w=60', "Cache-Control": "no-store"}

    limits = {"/api/register": Throttle(limit=60, window=60), "/api/login": Throttle(limit=120, window=60)}

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.method not in ("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"):
            return problem(405, "method not allowed")
        limit = limits.get(request.url.path) if request.method == "POST" else None
        client = request.client.host if request.client else "?"
        wait = limit.retry_after(client) if limit else 0
        try:
            if wait:
                response = problem(429, "too many requests", {"Retry-After": str(wait)})
            else:
                response = await call_next(request)
        except Exception:
            response = problem(500, "internal error")
        if limit is not None:
            limit.fail(client)  # every request counts against the credential endpoints' budget
            response.headers["RateLimit-Policy"] = f'"credentials";q={limit.limit};w={int(limit.window)}'
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "body" for e in exc.errors()})
        return JSONResponse(
            {
                "type": "about:blank",
                "title": "invalid request",
                "status": 422,
                "detail": f"invalid: {', '.join(fields)[:200]}",
            },
            status_code=422,
            media_type="application/problem+json",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail) if exc.status_code < 500 else "error", dict(exc.headers or {}))

    def current(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> sqlite3.Row:
        if credentials is None or credentials.scheme.lower() != "bearer" or len(credentials.credentials) > 4096:
            raise HTTPException(401, "authentication required", {"WWW-Authenticate": "Bearer"})
        try:
            token = jwt.decode(credentials.credentials, key, algorithms=["HS256"])
            JWTClaimsRegistry(
                iss={"essential": True, "value": ISSUER},
                aud={"essential": True, "value": ISSUER},
                exp={"essential": True},
                sub={"essential": True},
            ).validate(token.claims)
        except (JoseError, ValueError):
            raise HTTPException(401, "authentication required", {"WWW-Authenticate": "Bearer"}) from None
        row = store.one("SELECT * FROM users WHERE id = ?", (int(token.claims["sub"]),))
        if row is None:
            raise HTTPException(401, "authentication required", {"WWW-Authenticate": "Bearer"})
        return row

    Caller = Annotated[sqlite3.Row, Depends(current)]
    NoteId = Annotated[int, Path(ge=1, le=MAX_ID)]

    def user_doc(row: sqlite3.Row) -> User:
        return User(id=row["id"], username=row["username"], email=row["email"], role=row["role"])

    def own_note(note_id: int, caller: sqlite3.Row) -> sqlite3.Row:
        row = store.one("SELECT * FROM notes WHERE id = ? AND owner = ?", (note_id, caller["id"]))
        if row is None:
            raise HTTPException(404, "no such note")  # another user's note does not exist for you
        return row

    @app.get("/api/health", operation_id="getHealth")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post(
        "/api/register",
        operation_id="register",
        status_code=201,
        response_model=User,
        responses={409: {}, 422: {}, 429: {}},
    )
    def register(data: Registration) -> User:
        try:
            cursor = store.execute(
                "INSERT INTO users (username, password_hash, email) VALUES (?, ?, ?)",
                (data.username, hasher.hash(data.password), data.email),
            )
        except sqlite3.IntegrityError:
            raise HTTPException(409, "username taken") from None
        row = store.one("SELECT * FROM users WHERE id = ?", (cursor.lastrowid,))
        assert row is not None
        return user_doc(row)

    @app.post("/api/login", operation_id="login", response_model=Token, responses={401: {}, 429: {}})
    def login(data: Credentials, request: Request) -> Any:
        client = request.client.host if request.client else "?"
        wait = max(per_client.retry_after(client), per_account.retry_after(data.username))
        if wait:
            return problem(429, "too many failed logins", {"Retry-After": str(wait), **login_policy})
        row = store.one("SELECT * FROM users WHERE username = ?", (data.username,))
        try:
            hasher.verify(row["password_hash"] if row else DUMMY_HASH, data.password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or row is None:
            per_client.fail(client)
            per_account.fail(data.username)
            return problem(401, "invalid credentials", login_policy)
        now = int(time.time())
        claims = {
            "sub": str(row["id"]),
            "iss": ISSUER,
            "aud": ISSUER,
            "iat": now,
            "exp": now + TOKEN_TTL,
            "role": row["role"],
        }
        token = jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, key)
        return JSONResponse(
            {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_TTL}, headers=login_policy
        )

    @app.get("/api/users/me", operation_id="getMe", response_model=User, responses={401: {}})
    def me(caller: Caller) -> User:
        return user_doc(caller)

    @app.patch("/api/users/me", operation_id="updateMe", response_model=User, responses={401: {}, 422: {}})
    def update_me(data: ProfileUpdate, caller: Caller) -> User:
        store.execute("UPDATE users SET email = ? WHERE id = ?", (data.email, caller["id"]))
        row = store.one("SELECT * FROM users WHERE id = ?", (caller["id"],))
        assert row is not None
        return user_doc(row)

    @app.get("/api/notes", operation_id="listNotes", response_model=list[Note], responses={401: {}})
    def list_notes(caller: Caller) -> list[Note]:
        rows = store.all("SELECT * FROM notes WHERE owner = ? ORDER BY id LIMIT 100", (caller["id"],))
        return [Note(id=r["id"], title=r["title"], body=r["body"]) for r in rows]

    @app.post(
        "/api/notes", operation_id="createNote", status_code=201, response_model=Note, responses={401: {}, 422: {}}
    )
    def create_note(data: NoteIn, caller: Caller) -> Note:
        cursor = store.execute(
            "INSERT INTO notes (owner, title, body) VALUES (?, ?, ?)", (caller["id"], data.title, data.body)
        )
        return Note(id=int(cursor.lastrowid or 0), title=data.title, body=data.body)

    @app.get("/api/notes/{note_id}", operation_id="getNote", response_model=Note, responses={401: {}, 404: {}})
    def get_note(note_id: NoteId, caller: Caller) -> Note:
        row = own_note(note_id, caller)
        return Note(id=row["id"], title=row["title"], body=row["body"])

    @app.patch(
        "/api/notes/{note_id}", operation_id="updateNote", response_model=Note, responses={401: {}, 404: {}, 422: {}}
    )
    def update_note(note_id: NoteId, data: NotePatch, caller: Caller) -> Note:
        row = own_note(note_id, caller)
        title = data.title if data.title is not None else row["title"]
        body = data.body if data.body is not None else row["body"]
        store.execute("UPDATE notes SET title = ?, body = ? WHERE id = ?", (title, body, note_id))
        return Note(id=note_id, title=title, body=body)

    @app.delete("/api/notes/{note_id}", operation_id="deleteNote", status_code=204, responses={401: {}, 404: {}})
    def delete_note(note_id: NoteId, caller: Caller) -> Response:
        own_note(note_id, caller)
        store.execute("DELETE FROM notes WHERE id = ?", (note_id,))
        return Response(status_code=204)

    @app.get("/api/notes-search", operation_id="searchNotes", response_model=list[Note], responses={401: {}})
    def search_notes(caller: Caller, q: Annotated[str, Query(min_length=1, max_length=64)]) -> list[Note]:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = store.all(
            "SELECT * FROM notes WHERE owner = ? AND title LIKE ? ESCAPE '\\' LIMIT 100", (caller["id"], pattern)
        )
        return [Note(id=r["id"], title=r["title"], body=r["body"]) for r in rows]

    @app.get(
        "/api/admin/users",
        operation_id="adminListUsers",
        tags=["admin"],
        response_model=list[User],
        responses={401: {}, 403: {}},
    )
    def admin_users(caller: Caller) -> list[User]:
        if caller["role"] != "admin":
            raise HTTPException(403, "admins only")
        return [user_doc(r) for r in store.all("SELECT * FROM users ORDER BY id LIMIT 1000")]

    return app
