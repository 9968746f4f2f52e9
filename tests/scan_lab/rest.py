"""A Flask REST API written the way many small services are, with a flawed twin and a fixed twin.

`create_app(fixed=False)` plants one flaw per behaviour below (each marked FLAW); `create_app(fixed=True)`
is the same API done right, and a scan of it must stay silent for every check these flaws are for:

- object references: BOLA through the body (`PUT /profile {"username": <someone else>}`), the query
  (`GET /orders?user_id=`), a header (`X-Account-Id`) and the path (an order; a note whose title every
  user can list but whose secret only its owner should read);
- another user's password changed through the path (`PUT /users/{name}/password`);
- mass assignment on an update (`PATCH /profile {"role": "admin"}`) and a self-service role change;
- BFLA on an admin-only write (`PUT /products/{id}`);
- SSRF through a URL field of an update body (`PUT /users/me/avatar`);
- a hidden debug endpoint that dumps users with their password hashes;
- login timing: only existing users pay for the password hash;
- CORS origins matched by a loose regular expression, with credentials;
- a JWT HMAC secret of six digits.

Orders need an existing product (a foreign key the scanner must harvest); registration refuses a phone
number, email or username already registered (unique fields the scanner must make fresh). NEVER run
outside a test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, request

SPEC = Path(__file__).with_name("rest.yaml")
WEAK_SECRET = b"482916"  # FLAW (flawed twin): six digits
SLOW_HASH = 0.12  # what a password check costs, in seconds
ALLOWED_ORIGINS = {"https://app.example.com"}
LOOSE_ORIGIN = re.compile(r"https://.*example\.com")  # FLAW (flawed twin): unanchored, any prefix
Handler = Callable[..., Any]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Store:
    def __init__(self, fixed: bool) -> None:
        self.fixed = fixed
        self.secret = secrets.token_bytes(48) if fixed else WEAK_SECRET
        self.lock = threading.Lock()
        self.users: dict[str, dict[str, Any]] = {}
        self.products = {1: {"id": 1, "name": "Lamp", "price": 30}, 2: {"id": 2, "name": "Desk", "price": 120}}
        self.orders: dict[int, dict[str, Any]] = {}
        self.notes: dict[str, dict[str, Any]] = {}
        for name, password, role in (
            ("alice", "alice-rest-password", "user"),
            ("bob", "bob-rest-password", "user"),
            ("admin", "admin-rest-password", "admin"),
        ):
            self.add_user(name, password, f"{name}@example.org", f"+1555010{len(self.users)}", role)
        self.orders[1] = {"id": 1, "user_id": 1, "product_id": 1, "quantity": 1, "note": "alice's lamp"}
        self.notes["alice-diary"] = {"title": "alice-diary", "owner": "alice", "secret": "alice's diary entry"}

    def add_user(self, username: str, password: str, email: str, phone: str, role: str = "user") -> dict[str, Any]:
        salt = secrets.token_hex(8)
        user = {
            "id": len(self.users) + 1,
            "username": username,
            "email": email,
            "phone": phone,
            "role": role,
            "bio": "",
            "avatar_url": None,
            "salt": salt,
            "password_hash": hashlib.sha256((salt + password).encode()).hexdigest(),
        }
        self.users[username] = user
        return user

    def token(self, user: dict[str, Any]) -> str:
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = {"sub": user["username"], "role": user["role"], "exp": int(time.time()) + 900}
        signing = f"{header}.{_b64(json.dumps(claims).encode())}"
        return f"{signing}.{_b64(hmac.new(self.secret, signing.encode(), hashlib.sha256).digest())}"

    def verify(self, token: str) -> dict[str, Any] | None:
        try:
            head, body, signature = token.split(".")
            claims = json.loads(_unb64(body))
            expected = hmac.new(self.secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
        except (ValueError, json.JSONDecodeError):
            return None
        if not hmac.compare_digest(expected, _unb64(signature)) or claims.get("exp", 0) < time.time():
            return None
        return self.users.get(str(claims.get("sub")))


def public(user: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in user.items() if k not in ("salt", "password_hash")}


def create_app(fixed: bool = False) -> Flask:  # noqa: PLR0915  the lab's routes as closures over its store
    app = Flask("scan-lab-rest")
    store = Store(fixed)

    def problem(status: int, message: str) -> tuple[Response, int]:
        return jsonify({"message": message}), status

    def auth(handler: Handler) -> Handler:
        @wraps(handler)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            user = store.verify(header[7:]) if header.startswith("Bearer ") else None
            if user is None:
                return problem(401, "authentication required")
            g.user = user
            return handler(*args, **kwargs)

        return wrapper

    def body() -> dict[str, Any]:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}

    def text(data: dict[str, Any], name: str, most: int, default: str | None = None) -> str | None:
        """A string field of at most `most` characters, or None when it is missing or wrong."""
        value = data.get(name, default)
        return value if isinstance(value, str) and len(value) <= most else None

    def number(data: dict[str, Any], name: str, low: float, high: float, default: Any = None) -> Any:
        value = data.get(name, default)
        ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
        return value if ok else None

    @app.after_request
    def cors(response: Response) -> Response:
        origin = request.headers.get("Origin")
        allowed = origin in ALLOWED_ORIGINS if fixed else bool(origin and LOOSE_ORIGIN.match(origin))
        if origin and allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Vary"] = "Origin"
        return response

    @app.get("/api/v1/health")
    def health() -> Any:
        return {"status": "up"}

    @app.post("/api/v1/users/register")
    def register() -> Any:
        data = body()
        username, password = text(data, "username", 20) or "", text(data, "password", 64) or ""
        email, phone = text(data, "email", 80) or "", text(data, "phone", 16) or ""
        valid = re.fullmatch(r"[a-z0-9_]{3,20}", username) and re.fullmatch(r"\+[0-9]{7,15}", phone)
        if not valid or len(password) < 8 or "@" not in email:
            return problem(400, "invalid registration")
        with store.lock:
            for user in store.users.values():
                for field, value in (("username", username), ("email", email), ("phone", phone)):
                    if user[field] == value:
                        return problem(409, f"{field} already registered")
            user = store.add_user(username, password, email, phone)
        return public(user), 201

    @app.post("/api/v1/users/login")
    def login() -> Any:
        data = body()
        user = store.users.get(str(data.get("username", "")))
        if user is None and not fixed:
            return problem(401, "invalid credentials")  # FLAW: unknown users skip the slow hash
        time.sleep(SLOW_HASH)  # the password hash (or, fixed, a dummy one for unknown users)
        if user is None:
            return problem(401, "invalid credentials")
        digest = hashlib.sha256((user["salt"] + str(data.get("password", ""))).encode()).hexdigest()
        if not hmac.compare_digest(digest, user["password_hash"]):
            return problem(401, "invalid credentials")
        return {"token": store.token(user)}

    @app.get("/api/v1/users")
    @auth
    def users() -> Any:
        return jsonify([{"id": u["id"], "username": u["username"]} for u in store.users.values()])

    @app.get("/api/v1/users/me")
    @auth
    def me() -> Any:
        return public(g.user)

    @app.put("/api/v1/profile")
    @auth
    def put_profile() -> Any:
        data = body()
        name = str(data.get("username", g.user["username"]))
        if fixed and name != g.user["username"]:
            return problem(403, "you can only edit your own profile")
        user = store.users.get(name)  # FLAW (flawed twin): the body names whose profile changes
        if user is None:
            return problem(404, "no such user")
        if "bio" in data:
            bio = text(data, "bio", 200)
            if bio is None:
                return problem(400, "bio: a string of 200 characters at most")
            user["bio"] = bio
        return public(user)

    @app.patch("/api/v1/profile")
    @auth
    def patch_profile() -> Any:
        data = body()
        if "bio" in data and text(data, "bio", 200) is None:
            return problem(400, "bio: a string of 200 characters at most")
        if "email" in data and "@" not in (text(data, "email", 80) or ""):
            return problem(400, "email: an address of 80 characters at most")
        allowed = {"bio", "email"} if fixed else set(g.user) - {"id", "username", "salt", "password_hash"}
        for key, value in data.items():
            if key in allowed:  # FLAW (flawed twin): role is among them
                g.user[key] = value
        return public(g.user)

    @app.put("/api/v1/users/<username>/role")
    @auth
    def set_role(username: str) -> Any:
        target = store.users.get(username)
        if target is None:
            return problem(404, "no such user")
        may = g.user["role"] == "admin" or (not fixed and username == g.user["username"])  # FLAW: self-service
        if not may:
            return problem(403, "admins only")
        role = body().get("role")
        if role not in ("user", "admin"):
            return problem(400, "role must be user or admin")
        target["role"] = role
        return public(target)

    @app.put("/api/v1/users/<username>/password")
    @auth
    def change_password(username: str) -> Any:
        target = store.users.get(username)
        if target is None:
            return problem(404, "no such user")
        if fixed and username != g.user["username"]:
            return problem(403, "you can only change your own password")  # FLAW (flawed twin): anyone's
        password = text(body(), "password", 64)
        if password is None or len(password) < 8:
            return problem(400, "password: 8 to 64 characters")
        target["password_hash"] = hashlib.sha256((target["salt"] + password).encode()).hexdigest()
        return {"message": "password changed"}

    @app.put("/api/v1/users/me/avatar")
    @auth
    def avatar() -> Any:
        url = text(body(), "avatar_url", 300) or ""
        if not url.startswith(("http://", "https://")):
            return problem(400, "avatar_url must be an http(s) URL")
        if fixed:
            if not url.startswith("https://cdn.example.com/"):
                return problem(400, "avatars are served from https://cdn.example.com/ only")
            g.user["avatar_url"] = url
            return public(g.user)
        try:  # FLAW: the server fetches whatever URL the client names
            with urllib.request.urlopen(url, timeout=2) as answer:
                size = len(answer.read(65536))
        except OSError as exc:
            return problem(400, f"could not fetch the avatar: {exc.__class__.__name__}")
        g.user["avatar_url"] = url if size >= 0 else None
        return public(g.user)

    @app.get("/api/v1/products")
    def products() -> Any:
        return jsonify(list(store.products.values()))

    @app.post("/api/v1/products")
    @auth
    def create_product() -> Any:
        if g.user["role"] != "admin":
            return problem(403, "admins only")
        data = body()
        name, price = text(data, "name", 60), number(data, "price", 0, 10000)
        if name is None or price is None:
            return problem(400, "name (60 characters at most) and a price from 0 to 10000 are required")
        product = {"id": max(store.products) + 1, "name": name, "price": price}
        store.products[product["id"]] = product
        return product, 201

    @app.get("/api/v1/products/<int:product_id>")
    def product(product_id: int) -> Any:
        found = store.products.get(product_id)
        return found if found else problem(404, "no such product")

    @app.put("/api/v1/products/<int:product_id>")
    @auth
    def update_product(product_id: int) -> Any:
        if fixed and g.user["role"] != "admin":
            return problem(403, "admins only")  # FLAW (flawed twin): no role check on the update
        found = store.products.get(product_id)
        if found is None:
            return problem(404, "no such product")
        data = body()
        name, price = text(data, "name", 60, found["name"]), number(data, "price", 0, 10000, found["price"])
        if name is None or price is None:
            return problem(400, "name: 60 characters at most; price: from 0 to 10000")
        found.update({"name": name, "price": price})
        return found

    @app.delete("/api/v1/products/<int:product_id>")
    @auth
    def delete_product(product_id: int) -> Any:
        if fixed and g.user["role"] != "admin":
            return problem(403, "admins only")  # FLAW (flawed twin): any user deletes
        store.products.pop(product_id, None)
        return "", 204

    @app.post("/api/v1/orders")
    @auth
    def create_order() -> Any:
        data = body()
        product_id, quantity = data.get("product_id"), number(data, "quantity", 1, 10, 1)
        note = text(data, "note", 200, "")
        if not isinstance(product_id, int) or isinstance(product_id, bool) or product_id not in store.products:
            return problem(400, "unknown product")
        if not isinstance(quantity, int) or note is None:
            return problem(400, "quantity: a whole number from 1 to 10; note: 200 characters at most")
        order = {
            "id": max(store.orders, default=0) + 1,
            "user_id": g.user["id"],
            "product_id": product_id,
            "quantity": quantity,
            "note": note,
        }
        store.orders[order["id"]] = order
        return order, 201

    @app.get("/api/v1/orders")
    @auth
    def list_orders() -> Any:
        wanted = request.args.get("user_id", type=int) or g.user["id"]
        if fixed and wanted != g.user["id"]:
            return problem(403, "you can only list your own orders")  # FLAW (flawed twin): any user_id
        return jsonify([o for o in store.orders.values() if o["user_id"] == wanted])

    @app.get("/api/v1/orders/<int:order_id>")
    @auth
    def get_order(order_id: int) -> Any:
        order = store.orders.get(order_id)
        if order is None or (fixed and order["user_id"] != g.user["id"]):
            return problem(404, "no such order")  # FLAW (flawed twin): anyone's order
        return order

    @app.get("/api/v1/account/statement")
    @auth
    def statement() -> Any:
        account = request.headers.get("X-Account-Id", type=int) or g.user["id"]
        if fixed and account != g.user["id"]:
            return problem(403, "not your account")  # FLAW (flawed twin): the header picks the account
        owner = next((u for u in store.users.values() if u["id"] == account), None)
        if owner is None:
            return problem(404, "no such account")
        spent = sum(
            store.products[o["product_id"]]["price"] * o["quantity"]
            for o in store.orders.values()
            if o["user_id"] == account
        )
        return {"account": account, "holder": owner["username"], "email": owner["email"], "spent": spent}

    @app.get("/api/v1/notes")
    @auth
    def notes() -> Any:
        return jsonify([{"title": n["title"], "owner": n["owner"]} for n in store.notes.values()])

    @app.post("/api/v1/notes")
    @auth
    def create_note() -> Any:
        data = body()
        title, secret = text(data, "title", 60), text(data, "secret", 500)
        if not title or secret is None:
            return problem(400, "title (60 characters at most) and secret (500 at most) are required")
        if title in store.notes:
            return problem(409, "a note with this title exists")
        note = {"title": title, "owner": g.user["username"], "secret": secret}
        store.notes[title] = note
        return note, 201

    @app.get("/api/v1/notes/<title>")
    @auth
    def note(title: str) -> Any:
        found = store.notes.get(title)
        if found is None or (fixed and found["owner"] != g.user["username"]):
            return problem(404, "no such note")  # FLAW (flawed twin): anyone reads the secret
        return found

    if not fixed:

        @app.get("/api/v1/_debug")
        def debug() -> Any:  # FLAW: undocumented, unauthenticated, password hashes included
            return jsonify(list(store.users.values()))

    @app.get("/openapi.yaml")
    def spec() -> Any:
        return Response(SPEC.read_bytes(), mimetype="application/yaml")

    return app
