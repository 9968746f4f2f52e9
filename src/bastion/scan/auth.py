"""Test identities: who the scan acts as, how each logs in, and keeping their sessions alive.

The auth file (see docs/scan.md) lists users with a password (logged in through the `login` request)
or static headers. A token is fetched lazily, refreshed before its `exp` and fetched again when the API
starts refusing it, because a check (or the API's own defences) may have invalidated the session. The
scanner never changes its users' credentials and never sends wrong passwords for them, so it cannot lock
itself out.
"""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.openapi.refs import resolve_pointer
from bastion.scan.masking import Masker
from bastion.scan.target import Exchange, Target

ADMIN_ROLES = frozenset({"admin", "administrator", "root", "superuser", "staff"})
_REFRESH_MARGIN = 30.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoginRequest(_Strict):
    method: str = "POST"
    path: str
    json_body: dict[str, Any] | None = Field(default=None, alias="json")
    form: dict[str, str] | None = None
    headers: dict[str, str] = Field(default_factory=dict)

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("the login path must start with / (it is sent to the target, nowhere else)")
        return value


class LoginConfig(_Strict):
    request: LoginRequest
    token: str = Field(default="/access_token", description="JSON pointer to the token in the login response")
    header: str = Field(default="Authorization: Bearer {token}")
    expires_in: str | None = Field(default="/expires_in", description="JSON pointer to the lifetime in seconds")

    @field_validator("header")
    @classmethod
    def _header(cls, value: str) -> str:
        if ":" not in value or "{token}" not in value:
            raise ValueError('must look like "Name: ... {token} ..."')
        return value


class UserConfig(_Strict):
    name: str
    username: str | None = None
    password: str | None = None
    role: str = "user"
    headers: dict[str, str] = Field(default_factory=dict)
    cookies: dict[str, str] = Field(default_factory=dict)
    expired_token: str | None = Field(
        default=None, description="A token of this user that has expired, to check that expiry is enforced"
    )


class AuthFile(_Strict):
    login: LoginConfig | None = None
    users: list[UserConfig] = Field(default_factory=list)
    admin_roles: list[str] = Field(default_factory=lambda: sorted(ADMIN_ROLES))

    @field_validator("users")
    @classmethod
    def _unique(cls, users: list[UserConfig]) -> list[UserConfig]:
        names = [u.name for u in users]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"user names must be unique: {', '.join(duplicates)}")
        return users


class LoginFailed(Exception):
    """A test user could not log in; `answer` says what the login request got back."""

    def __init__(self, user: str, answer: str) -> None:
        super().__init__(f"user {user!r} could not log in: {answer}")
        self.user = user
        self.answer = answer


def login_answer(exchange: Exchange, masker: Masker) -> str:
    """`POST /login answered 401 {"error": "invalid credentials"}` (masked, short), or why nothing came back."""
    path = urlsplit(exchange.url).path
    if exchange.status is None:
        return f"{exchange.method} {path} got no answer ({exchange.error or 'no answer'})"
    excerpt = " ".join(masker.body(exchange.text).split())[:120]
    return f"{exchange.method} {path} answered {exchange.status}" + (f" {excerpt}" if excerpt else "")


class Identity:
    def __init__(self, user: UserConfig, login: LoginConfig | None, target: Target, masker: Masker, *, admin: bool):
        self.name = user.name
        self.role = user.role
        self.admin = admin
        self.user = user
        self._login = login
        self._target = target
        self._masker = masker
        self._token: str | None = None
        self._expires = 0.0
        self.logins = 0
        for value in (user.password, user.expired_token, *user.headers.values(), *user.cookies.values()):
            masker.add(value)

    @property
    def can_log_in(self) -> bool:
        return self._login is not None and self.user.username is not None and self.user.password is not None

    @property
    def token(self) -> str | None:
        self.headers()
        return self._token

    def headers(self) -> dict[str, str]:
        out = dict(self.user.headers)
        if self.user.cookies:
            out["cookie"] = "; ".join(f"{k}={v}" for k, v in self.user.cookies.items())
        if self.can_log_in:
            if self._token is None or time.time() > self._expires - _REFRESH_MARGIN:
                self.log_in()
            assert self._login is not None
            assert self._token is not None
            name, _, template = self._login.header.partition(":")
            out[name.strip()] = template.strip().replace("{token}", self._token)
        return out

    def invalidate(self) -> None:
        """The API refused a session that used to work: log in again on next use."""
        self._token = None

    def log_in(self) -> Exchange:
        assert self._login is not None
        exchange = send_login(self._target, self._login, self.user.username or "", self.user.password or "")
        token = resolve_pointer(exchange.json, self._login.token) if exchange.ok else None
        if not isinstance(token, str) or not token:
            self._token = None
            if exchange.ok:
                answer = f"{login_answer(exchange, self._masker)}, without a token at {self._login.token}"
            else:
                answer = login_answer(exchange, self._masker)
            raise LoginFailed(self.name, answer)
        self.logins += 1
        self._token = token
        self._masker.add(token)
        self._expires = _expiry(token, exchange, self._login)
        return exchange


def send_login(target: Target, login: LoginConfig, username: str, password: str, **kwargs: Any) -> Exchange:
    request = login.request
    substitute = {"{username}": username, "{password}": password}
    headers = {k: _fill(v, substitute) for k, v in request.headers.items()}
    if request.json_body is not None:
        return target.send(
            request.method,
            request.path,
            json=_fill_json(request.json_body, substitute),
            headers=headers,
            operation="login",
            **kwargs,
        )
    if request.form is not None:
        form = {k: _fill(v, substitute) for k, v in request.form.items()}
        headers.setdefault("content-type", "application/x-www-form-urlencoded")
        return target.send(
            request.method, request.path, content=urlencode(form), headers=headers, operation="login", **kwargs
        )
    return target.send(request.method, request.path, headers=headers, operation="login", **kwargs)


def _fill(text: str, substitute: dict[str, str]) -> str:
    for key, value in substitute.items():
        text = text.replace(key, value)
    return text


def _fill_json(node: Any, substitute: dict[str, str]) -> Any:
    if isinstance(node, str):
        return _fill(node, substitute)
    if isinstance(node, dict):
        return {k: _fill_json(v, substitute) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill_json(v, substitute) for v in node]
    return node


def _expiry(token: str, exchange: Exchange, login: LoginConfig) -> float:
    claims = jwt_claims(token)
    if claims and isinstance(claims.get("exp"), int | float):
        return float(claims["exp"])
    lifetime = resolve_pointer(exchange.json, login.expires_in) if login.expires_in else None
    if isinstance(lifetime, int | float) and lifetime > 0:
        return time.time() + float(lifetime)
    return time.time() + 300.0


def jwt_claims(token: str) -> dict[str, Any] | None:
    """A JWT's payload without verifying it (the scanner is the attacker: it reads, it does not trust)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        data = orjson.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
