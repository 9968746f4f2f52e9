"""Credentials the checks need beyond the test users: a throwaway account, a session to tamper with.

Checks that send wrong passwords or escalate privileges do it to an account the scan registered for the
purpose (when the API offers registration), never to the users in the auth file: the scan must not lock
out or change the identities the rest of it relies on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bastion.scan.auth import Identity, UserConfig, send_login
from bastion.scan.context import ScanContext
from bastion.scan.discover import DUPLICATE, freshened
from bastion.scan.operations import Operation
from bastion.scan.target import Exchange
from bastion.scan.values import schema_type, unique_text

_USERNAME = re.compile(r"(?i)^(user(_?name)?|login|email|handle|account)$")
_PASSWORD = re.compile(r"(?i)^(pass(word|wd)?|pwd|secret)$")


@dataclass
class Account:
    username: str
    password: str
    registration: Exchange


def registration_op(ctx: ScanContext) -> tuple[Operation, str, str] | None:
    """A public POST whose body takes a username-like and a password-like property, and that is not
    the login request itself."""
    login_path = ctx.login.request.path if ctx.login else None
    for op in ctx.spec.operations:
        if op.method != "POST" or op.secured or not op.json_body or op.path == login_path:
            continue
        properties = (op.body_schema or {}).get("properties") or {}
        user = next((p for p in properties if _USERNAME.match(p)), None)
        password = next((p for p in properties if _PASSWORD.match(p)), None)
        if (
            user
            and password
            and re.search(r"(?i)regist|sign_?up|users?$|accounts?$", op.path + (op.operation_id or ""))
        ):
            return op, user, password
    return None


def register(ctx: ScanContext, extra: dict[str, Any] | None = None) -> Account | None:
    """Register a new account (optionally with extra properties); None when the API offers no way or
    refuses (the reason is kept for the checks that then cannot run: `registration_refused`)."""
    found = registration_op(ctx)
    if found is None:
        ctx.facts.setdefault("registration_refused", "the API has no registration operation")
        return None
    op, user_field, password_field = found
    body = ctx.filler.body(op, None)
    if not isinstance(body, dict):
        return None
    password = "Bst-" + unique_text("pw") + "-Aa1!"
    properties = (op.body_schema or {}).get("properties") or {}
    if not isinstance(body.get(user_field), str):
        body[user_field] = unique_text()
    if schema_type(properties.get(user_field) or {}) == "string" and "email" in user_field.lower():
        body[user_field] = f"{unique_text()}@example.com"
    body[password_field] = password
    ctx.masker.add(password)
    exchange = ctx.request(op, ctx.anonymous, body={**body, **(extra or {})})
    if not exchange.ok and exchange.status in (400, 409, 422) and DUPLICATE.search(exchange.text[:2000]):
        body = {**freshened(body), password_field: password}
        exchange = ctx.request(op, ctx.anonymous, body={**body, **(extra or {})})
    if not exchange.ok:
        if not extra:
            excerpt = " ".join(ctx.masker.body(exchange.text).split())[:120]
            ctx.facts["registration_refused"] = (
                f"registration refused: {exchange.status or exchange.error} {excerpt}".strip()
            )
        return None
    return Account(str(body[user_field]), password, exchange)


def registration_refused(ctx: ScanContext) -> str:
    """Why the scan has no account of its own (for a check's skip reason)."""
    return str(ctx.facts.get("registration_refused") or "no account could be registered")


def throwaway(ctx: ScanContext) -> Account | None:
    """One registered account per scan, reused by every check that needs a victim of its own."""
    if "throwaway" not in ctx.facts:
        ctx.facts["throwaway"] = register(ctx)
    account: Account | None = ctx.facts["throwaway"]
    return account


def as_identity(ctx: ScanContext, account: Account, name: str) -> Identity | None:
    """Log a registered account in through the auth file's login request."""
    if ctx.login is None:
        return None
    identity = Identity(
        UserConfig(name=name, username=account.username, password=account.password),
        ctx.login,
        ctx.target,
        ctx.masker,
        admin=False,
    )
    try:
        identity.headers()
    except Exception:  # an account that cannot log in is simply not usable
        return None
    return identity


def login_attempt(ctx: ScanContext, username: str, password: str, **kwargs: Any) -> Exchange:
    assert ctx.login is not None
    ctx.masker.public(password)
    return send_login(ctx.target, ctx.login, username, password, **kwargs)
