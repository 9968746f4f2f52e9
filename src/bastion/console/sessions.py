"""Who is using the console: a login with the admin token (or a client certificate) opens a session.

The session id travels in an HttpOnly, SameSite=Strict cookie scoped to /console/, so page scripts
cannot read it and other sites cannot send it. Every state-changing form carries a CSRF token bound
to the session (compared in constant time), so even a same-site page cannot act on the operator's
behalf. Sessions live in this process only (each worker has its own admin port), are bounded in
number, expire after `IDLE` without use and `ABSOLUTE` after login, and end at logout.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bastion.core.clock import SYSTEM_CLOCK, Clock

COOKIE = "bastion_console"
IDLE = 30 * 60.0
ABSOLUTE = 12 * 3600.0
MAX_SESSIONS = 256
_OPERATOR = re.compile(r"^[A-Za-z0-9 ._@-]{1,64}$")


@dataclass(slots=True)
class Session:
    id: str
    operator: str  # named at login (a token is shared), or the certificate's subject
    method: str  # token or mtls
    csrf: str
    created: float
    last_seen: float


def valid_operator(name: str) -> str:
    """The name an operator gives at login, checked: it is written into every action's audit event."""
    name = name.strip()
    if not _OPERATOR.match(name):
        raise ValueError("name yourself with 1-64 letters, digits, spaces or . _ @ -")
    return name


def certificate_subject(cert: dict[str, Any]) -> str:
    """The commonName (else the whole subject) of a verified client certificate, as an operator name."""
    parts = [f"{k}={v}" for rdn in cert.get("subject", ()) for k, v in rdn]
    for part in parts:
        if part.startswith("commonName="):
            return part.removeprefix("commonName=")[:64]
    return ",".join(parts)[:64] or "client-certificate"


class Sessions:
    def __init__(self, token: str | None, clock: Clock = SYSTEM_CLOCK) -> None:
        self._token = token.encode() if token is not None else None
        self._clock = clock
        self._open: OrderedDict[str, Session] = OrderedDict()

    @property
    def accepts_token(self) -> bool:
        return self._token is not None

    def token_matches(self, given: str) -> bool:
        if self._token is None:
            return False
        return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(self._token).digest())

    def open(self, operator: str, method: str) -> Session:
        now = self._clock.monotonic()
        session = Session(secrets.token_urlsafe(32), operator, method, secrets.token_urlsafe(32), now, now)
        self._open[session.id] = session
        while len(self._open) > MAX_SESSIONS:
            self._open.popitem(last=False)  # the least recently used goes first
        return session

    def find(self, session_id: str | None) -> Session | None:
        if not session_id or len(session_id) > 100:
            return None
        session = self._open.get(session_id)
        if session is None:
            return None
        now = self._clock.monotonic()
        if now - session.last_seen > IDLE or now - session.created > ABSOLUTE:
            del self._open[session_id]
            return None
        session.last_seen = now
        self._open.move_to_end(session_id)
        return session

    def close(self, session_id: str) -> None:
        self._open.pop(session_id, None)


def csrf_matches(session: Session, given: str) -> bool:
    return hmac.compare_digest(session.csrf.encode(), given.encode())


def read_cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


def session_cookie(session_id: str, *, secure: bool, max_age: int | None = None) -> str:
    attributes = [f"{COOKIE}={session_id}", "Path=/console/", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        attributes.append(f"Max-Age={max_age}")
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)
