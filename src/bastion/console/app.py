"""The console's front door: who may use it, how each page is reached, and the static files.

A page handler receives the request and the operator's session; an action handler is reached only
by POST with a valid CSRF token, and is recorded in the audit trail with the operator's name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources
from urllib.parse import quote, urlsplit

from bastion.config.admin import AdminConfig
from bastion.console import actions
from bastion.console.sessions import (
    ABSOLUTE,
    Session,
    Sessions,
    certificate_subject,
    csrf_matches,
    read_cookie,
    session_cookie,
    valid_operator,
)
from bastion.console.stats import Feed, LiveStats
from bastion.console.trail import Trail
from bastion.console.web import Web
from bastion.core.clock import Clock
from bastion.engine import Engine
from bastion.hosts.admin import AdminError, AdminRequest, AdminResponse
from bastion.hosts.runtime import Runtime

PageHandler = Callable[["Console", AdminRequest, Session], Awaitable[AdminResponse]]

_STATIC = {"console.js": "text/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8"}


class Console:
    def __init__(self, runtime: Runtime, config: AdminConfig, clock: Clock | None = None) -> None:
        self.runtime = runtime
        self.config = config
        self.clock = clock or runtime.engine.clock
        self.sessions = Sessions(config.token, self.clock)
        self.mtls = config.tls is not None and config.tls.client_cert == "required"
        self.web = Web(runtime.engine.config.responses.security_headers, tls=config.tls is not None)
        self.stats = LiveStats(self.clock)
        self.feed = Feed()
        self.trail = Trail(runtime.engine.config)
        self._static: dict[str, bytes] = {}
        self._attach(runtime.engine)
        runtime.on_swap(self._swapped)

    # -- the audit stream feeds the overview and the live tail, across reloads --------------------
    def _attach(self, engine: Engine) -> None:
        if engine.audit is not None:
            engine.audit.observers.append(self.stats.observe)
            engine.audit.observers.append(self.feed.observe)

    def _swapped(self, engine: Engine) -> None:
        self._attach(engine)
        self.trail.close()
        self.trail = Trail(engine.config)

    @property
    def engine(self) -> Engine:
        return self.runtime.engine

    # -- authentication ---------------------------------------------------------------------------
    @property
    def usable(self) -> bool:
        return self.sessions.accepts_token or self.mtls

    def session_of(self, request: AdminRequest) -> tuple[Session | None, list[tuple[str, str]]]:
        """The caller's session, opening one for a verified client certificate (with its cookie)."""
        session = self.sessions.find(read_cookie(request.headers.get("cookie", "")))
        if self.mtls:
            if request.peer_cert is None:
                return None, []
            operator = certificate_subject(request.peer_cert)
            if session is not None and session.method == "mtls" and session.operator == operator:
                return session, []
            session = self.sessions.open(operator, "mtls")
            return session, [("set-cookie", session_cookie(session.id, secure=True, max_age=int(ABSOLUTE)))]
        return session, []

    def page(self, handler: PageHandler) -> Callable[[AdminRequest], Awaitable[AdminResponse]]:
        async def run(request: AdminRequest) -> AdminResponse:
            if not self.usable:
                return self._closed()
            session, headers = self.session_of(request)
            if session is None:
                return self.web.redirect("/console/login?next=" + quote(request.path, safe="/"))
            response = await handler(self, request, session)
            response.headers.extend(headers)
            return response

        return run

    def action(self, handler: PageHandler) -> Callable[[AdminRequest], Awaitable[AdminResponse]]:
        async def run(request: AdminRequest) -> AdminResponse:
            if not self.usable:
                return self._closed()
            session, _ = self.session_of(request)
            if session is None:
                raise AdminError(401, "log in to the console first")
            self._same_origin(request)
            form = request.form()
            if not csrf_matches(session, form.get("csrf", "")):
                raise AdminError(403, "the form's CSRF token is missing or stale: reload the page")
            return await handler(self, request, session)

        return run

    @staticmethod
    def _same_origin(request: AdminRequest) -> None:
        """Defence in depth beside the CSRF token: a browser's Origin must be this listener."""
        origin = request.headers.get("origin")
        if origin and origin != "null":
            host = request.headers.get("host", "")
            if urlsplit(origin).netloc != host:
                raise AdminError(403, "cross-origin form submissions are refused")

    def _closed(self) -> AdminResponse:
        return self.web.page("closed.html.j2", http_status=401)

    # -- login, logout, static files --------------------------------------------------------------
    async def login_page(self, request: AdminRequest) -> AdminResponse:
        if not self.usable:
            return self._closed()
        session, headers = self.session_of(request)
        if session is not None:
            return self.web.redirect("/console/", headers)
        return self.web.page("login.html.j2", next=_safe_next(request.query.get("next")), error=None)

    async def login(self, request: AdminRequest) -> AdminResponse:
        if not self.sessions.accepts_token:
            return self._closed()
        self._same_origin(request)
        form = request.form()
        following = _safe_next(form.get("next"))
        try:
            operator = valid_operator(form.get("operator", ""))
        except ValueError as exc:
            return self.web.page("login.html.j2", http_status=400, next=following, error=str(exc))
        if not self.sessions.token_matches(form.get("token", "")):
            self._audit_login(request, operator, 401)  # guesses at the admin token leave a trace
            return self.web.page("login.html.j2", http_status=401, next=following, error="that is not the admin token")
        self._audit_login(request, operator, 200)
        session = self.sessions.open(operator, "admin_token")
        cookie = session_cookie(session.id, secure=request.tls, max_age=int(ABSOLUTE))
        return self.web.redirect(following, [("set-cookie", cookie)])

    def _audit_login(self, request: AdminRequest, operator: str, status: int) -> None:
        actions.record(
            self.engine, operator=operator, method="admin_token", client=request.client, action="login",
            template="/console/login", params={}, status=status,
        )  # fmt: skip

    async def logout(self, request: AdminRequest) -> AdminResponse:
        session, _ = self.session_of(request)
        if session is not None:
            self._same_origin(request)
            if csrf_matches(session, request.form().get("csrf", "")):
                self.sessions.close(session.id)
        cookie = session_cookie("", secure=request.tls, max_age=0)
        return self.web.redirect("/console/login", [("set-cookie", cookie)])

    async def static(self, request: AdminRequest) -> AdminResponse:
        name = request.params["name"]
        content_type = _STATIC.get(name)
        if content_type is None:
            raise AdminError(404, "no such file")
        if name not in self._static:
            self._static[name] = resources.files("bastion.console").joinpath("static", name).read_bytes()
        return AdminResponse(200, self._static[name], content_type, list(self.web.security))


def _safe_next(value: str | None) -> str:
    """Only a console path: never an open redirect to another site."""
    if value and value.startswith("/console/") and "//" not in value and "\\" not in value:
        return value
    return "/console/"
