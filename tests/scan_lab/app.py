"""A deliberately vulnerable lab API with the flaws the demo shop does not have, one per endpoint.

Each `bastion scan` check gets a real target here (real SQLite, real LDAP filter evaluation in ldap3's
in-memory directory, real Mongo query semantics in mongomock, a real shell, a real Jinja2 template), so
the check's test shows it finds the flaw; `create_lab(jwt_mode=...)` picks how the lab verifies tokens,
for the JWT checks. NEVER run this outside a test.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import mongomock
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jinja2 import Environment
from joserfc.jwk import RSAKey
from ldap3 import MOCK_SYNC, OFFLINE_SLAPD_2_4, Connection, Server
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

SPEC = Path(__file__).with_name("openapi.yaml")
HS_SECRET = b"lab-hs256-secret-that-is-long-and-random-enough-123"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Lab:
    def __init__(self, jwt_mode: str) -> None:
        self.jwt_mode = jwt_mode
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_pem = self.rsa.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.users = {"alice": "alice-lab-password", "bob": "bob-lab-password"}
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.create_function("sleep", 1, lambda s: time.sleep(min(float(s), 5)) or 0)
        self.db.executescript("CREATE TABLE items (name TEXT); INSERT INTO items VALUES ('apple'), ('pear'), ('plum');")
        self.mongo = mongomock.MongoClient().lab.docs
        self.mongo.insert_many([{"owner": "alice", "doc": "a1"}, {"owner": "bob", "doc": "b1"}])
        server = Server("lab", get_info=OFFLINE_SLAPD_2_4)
        self.ldap = Connection(server, user="cn=admin,dc=lab", password="x", client_strategy=MOCK_SYNC)
        self.ldap.strategy.add_entry("cn=admin,dc=lab", {"userPassword": "x", "sn": "admin"})
        self.ldap.bind()
        for uid in ("alice", "bob", "carol"):
            self.ldap.strategy.add_entry(
                f"uid={uid},ou=people,dc=lab", {"uid": uid, "objectClass": ["person", "top"], "sn": uid, "cn": uid}
            )

    # -- tokens ------------------------------------------------------------------------------------------------

    def issue(self, user: str) -> str:
        claims = {"sub": user, "exp": int(time.time()) + 600, "iss": "lab"}
        if self.jwt_mode == "confusion":
            header = {"alg": "RS256", "typ": "JWT", "kid": "lab"}
            signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
            signature = self.rsa.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
            return f"{signing}.{_b64(signature)}"
        header = {"alg": "HS256", "typ": "JWT"}
        signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
        return f"{signing}.{_b64(hmac.new(HS_SECRET, signing.encode(), hashlib.sha256).digest())}"

    async def verify(self, token: str) -> str | None:  # noqa: PLR0911, PLR0912  a deliberately lax JWT check: one exit per flaw the scanner must find
        try:
            head_b64, body_b64, sig_b64 = token.split(".")
            header, claims = json.loads(_unb64(head_b64)), json.loads(_unb64(body_b64))
            signature = _unb64(sig_b64)
        except (ValueError, json.JSONDecodeError):
            return None
        signing = f"{head_b64}.{body_b64}".encode()
        alg = str(header.get("alg", ""))
        mode = self.jwt_mode
        if mode == "none" and alg.lower() == "none":
            return _subject(claims, check_exp=True)
        if mode == "noverify":
            return _subject(claims, check_exp=True)  # FLAW: claims read, signature never checked
        if mode == "kid" and "kid" in header:
            key = b"" if "dev/null" in str(header["kid"]) else HS_SECRET  # FLAW: kid used as a file path
            if hmac.compare_digest(hmac.new(key, signing, hashlib.sha256).digest(), signature):
                return _subject(claims, check_exp=True)
        if mode == "jwk" and isinstance(header.get("jwk"), dict):
            key = RSAKey.import_key(header["jwk"])  # FLAW: trusts the key embedded in the token
            if _rs_ok(key.as_pem(private=False), signing, signature):
                return _subject(claims, check_exp=True)
        if mode == "jku" and isinstance(header.get("jku"), str):
            async with httpx.AsyncClient(timeout=3) as client:  # FLAW: fetches keys from the token's URL
                keys = (await client.get(header["jku"])).json()["keys"]
            if _rs_ok(RSAKey.import_key(keys[0]).as_pem(private=False), signing, signature):
                return _subject(claims, check_exp=True)
        if mode == "confusion":
            if alg == "HS256":  # FLAW: the public key doubles as an HMAC secret
                if hmac.compare_digest(hmac.new(self.public_pem, signing, hashlib.sha256).digest(), signature):
                    return _subject(claims, check_exp=True)
                return None
            return _subject(claims, check_exp=True) if _rs_ok(self.public_pem, signing, signature) else None
        if alg == "HS256" and hmac.compare_digest(hmac.new(HS_SECRET, signing, hashlib.sha256).digest(), signature):
            return _subject(claims, check_exp=mode != "noexp")  # noexp: FLAW, expiry ignored
        return None


def _rs_ok(pem: bytes, signing: bytes, signature: bytes) -> bool:
    try:
        key = serialization.load_pem_public_key(pem)
        key.verify(signature, signing, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr, call-arg]
    except Exception:
        return False
    return True


def _subject(claims: dict[str, Any], *, check_exp: bool) -> str | None:
    if check_exp and float(claims.get("exp", 0)) < time.time():
        return None
    return str(claims.get("sub")) if claims.get("sub") else None


def create_lab(jwt_mode: str = "strict") -> Starlette:  # noqa: PLR0915  the lab's routes as closures over its state
    lab = Lab(jwt_mode)

    async def caller(request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        return await lab.verify(auth[7:]) if auth.lower().startswith("bearer ") else None

    async def login(request: Request) -> Response:
        data = await request.json()
        username, password = str(data.get("username", "")), str(data.get("password", ""))
        if username not in lab.users:
            return JSONResponse({"error": "invalid credentials"}, status_code=401)
        await asyncio.sleep(0.06)  # FLAW: only existing users pay for the password hash (timing oracle)
        if not hmac.compare_digest(lab.users[username], password):
            return JSONResponse({"error": "invalid credentials"}, status_code=401)
        return JSONResponse({"access_token": lab.issue(username)})

    async def register(request: Request) -> Response:
        data = await request.json()
        username, password = str(data.get("username", "")), str(data.get("password", ""))
        if not re.fullmatch(r"[a-z0-9]{3,32}", username) or len(password) < 8 or username in lab.users:
            return JSONResponse({"error": "invalid"}, status_code=400)
        lab.users[username] = password
        return JSONResponse({"username": username}, status_code=201)

    async def me(request: Request) -> Response:
        user = await caller(request)
        if user is None:
            return JSONResponse({"error": "authentication required"}, status_code=401)
        return JSONResponse({"user": user, "plan": "basic"})

    async def profile(request: Request) -> Response:
        return JSONResponse({"user": "alice", "plan": "basic"})  # FLAW: declared secured, never checks

    async def secret(request: Request) -> Response:
        if request.method == "GET" and await caller(request) is None:  # FLAW: only GET is protected
            return JSONResponse({"error": "authentication required"}, status_code=401)
        return JSONResponse({"secret": "lab"})

    async def thing(request: Request) -> Response:
        return JSONResponse({"thing": 1, "method": request.method})  # FLAW: any method does something

    async def people(request: Request) -> Response:
        name = request.query_params.get("name", "")
        try:  # FLAW: the filter is built by string formatting
            lab.ldap.search("ou=people,dc=lab", f"(&(objectClass=person)(uid={name}))", attributes=["uid"])
        except Exception as exc:
            return JSONResponse({"error": f"{exc.__class__.__name__}: {exc}"}, status_code=500)
        return JSONResponse(sorted(str(e.uid) for e in lab.ldap.entries))

    async def docs(request: Request) -> Response:
        data = await request.json()
        owner = data.get("owner") if isinstance(data, dict) else None
        try:  # FLAW: a client object becomes part of the query
            found = [d["doc"] for d in lab.mongo.find({"owner": owner})]
        except Exception:
            return JSONResponse({"error": "bad query"}, status_code=400)
        return JSONResponse(found)

    async def ping(request: Request) -> Response:
        host = request.query_params.get("host", "")
        result = subprocess.run(  # noqa: S602 - the flaw under test
            f"echo pinging {host}",
            shell=True,
            capture_output=True,
            text=True,
            timeout=10,
        )  # FLAW: input in a shell command line
        return PlainTextResponse(result.stdout[-2000:])

    async def greet(request: Request) -> Response:
        name = request.query_params.get("name", "")
        try:  # FLAW: input compiled as a template
            return PlainTextResponse(Environment(autoescape=True).from_string("Hello " + name).render())
        except Exception:
            return PlainTextResponse("Hello", status_code=400)

    async def items(request: Request) -> Response:
        name = request.query_params.get("name", "")
        try:  # FLAW: blind SQL injection (errors hidden, results and time still tell)
            rows = lab.db.execute(f"SELECT name FROM items WHERE name = '{name}'").fetchall()  # noqa: S608
        except sqlite3.Error:
            rows = []
        return JSONResponse([r[0] for r in rows])

    async def validate(request: Request) -> Response:
        code = request.query_params.get("code", "")
        ok = re.match(r"^(\w+\s?)*$", code[:64]) is not None  # FLAW: catastrophic backtracking
        return JSONResponse({"valid": ok})

    async def broken(request: Request) -> Response:
        return JSONResponse({"error": "KeyError: 'customer' at /srv/app/orders.py"}, status_code=400)

    async def jwks(request: Request) -> Response:
        if lab.jwt_mode != "confusion":
            return JSONResponse({"error": "not found"}, status_code=404)
        key = RSAKey.import_key(lab.public_pem)
        return JSONResponse({"keys": [{**key.as_dict(private=False), "kid": "lab", "alg": "RS256", "use": "sig"}]})

    async def spec(request: Request) -> Response:
        return Response(SPEC.read_bytes(), media_type="application/yaml")

    routes = [
        Route("/openapi.yaml", spec),
        Route("/.well-known/jwks.json", jwks),
        Route("/lab/login", login, methods=["POST"]),
        Route("/lab/register", register, methods=["POST"]),
        Route("/lab/me", me),
        Route("/lab/profile", profile),
        Route("/lab/secret", secret, methods=["GET", "HEAD"]),
        Route("/lab/thing", thing, methods=["GET", "PUT", "PATCH", "POST"]),
        Route("/lab/people", people),
        Route("/lab/docs", docs, methods=["POST"]),
        Route("/lab/ping", ping),
        Route("/lab/greet", greet),
        Route("/lab/items", items),
        Route("/lab/validate", validate),
        Route("/lab/broken", broken),
    ]

    async def reflect_cors(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        origin = request.headers.get("origin")
        if origin:  # FLAW: any origin, credentials included
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
        return response

    return Starlette(routes=routes, middleware=[Middleware(BaseHTTPMiddleware, dispatch=reflect_cors)])
