"""What every check gets: the target, the operations, the identities and one place to report to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.scan.auth import AuthFile, Identity, LoginConfig
from bastion.scan.canary import Canary, placement
from bastion.scan.defaults import DEFAULT_MIN_COVERAGE
from bastion.scan.harvest import Harvest
from bastion.scan.masking import Masker
from bastion.scan.operations import Operation, Spec
from bastion.scan.reporter import Findings
from bastion.scan.target import Exchange, Target
from bastion.scan.values import Filler
from bastion.scan.watch import Watch

_MISSING: Any = object()


class Anonymous:
    """No credentials at all."""

    name = "anonymous"
    role = "anonymous"
    admin = False
    can_log_in = False
    logins = 0

    def headers(self) -> dict[str, str]:
        return {}

    def invalidate(self) -> None:
        return None


Actor = Identity | Anonymous


@dataclass
class ScanOptions:
    target: str
    spec: str | None
    auth: AuthFile | None = None
    budget: int = 5000
    rate: float | None = None  # None: by where the target is (scan/network.py)
    timeout: float = 10.0
    allow_destructive: bool = False
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    verify_tls: bool = True
    graphql: str | None = None  # the GraphQL endpoint (path or URL on the target)
    graphql_schema: Path | None = None  # its SDL, when introspection is off
    allow_anonymous: bool = False  # scan a spec that declares security without any working test user
    min_coverage: float = DEFAULT_MIN_COVERAGE  # percent of operations reached; 0 turns the gate off
    max_time: float = 600.0  # the whole scan, in seconds
    recovery_wait: float = 30.0  # how long a target that stopped answering gets to come back
    callback_host: str | None = None  # where the target reaches the scanner's canary (SSRF)
    crack_time: float = 10.0  # seconds of offline JWT secret cracking, at most
    asyncapi: Path | None = None  # an AsyncAPI document: the WebSocket channels to test


class ScanContext:
    def __init__(self, spec: Spec, target: Target, options: ScanOptions, masker: Masker, watch: Watch) -> None:
        self.spec = spec
        self.target = target
        self.watch = watch
        self.options = options
        self.masker = masker
        self.harvest = Harvest()
        self.filler = Filler(self.harvest)
        self.anonymous = Anonymous()
        auth = options.auth or AuthFile()
        self.login: LoginConfig | None = auth.login
        admin_roles = {r.lower() for r in auth.admin_roles}
        self.identities: list[Identity] = [
            Identity(u, auth.login, target, masker, admin=u.role.lower() in admin_roles) for u in auth.users
        ]
        self.findings = Findings(masker)
        self._canary: Canary | str | None = None
        self.baselines: dict[tuple[str, str], Exchange] = {}
        self.creation_failures: dict[str, str] = {}  # operation -> what the API answered to our create
        self.facts: dict[str, Any] = {}  # what one check learned that another can use (a cracked secret ...)

    def canary(self) -> Canary | str:
        """The call-back listener, started on first use; a text says why there is none."""
        if self._canary is None:
            placed = placement(self.target.host, self.target.port, self.options.callback_host)
            if isinstance(placed, str):
                self._canary = placed
            else:
                try:
                    self._canary = Canary(*placed)
                except OSError as exc:
                    self._canary = f"cannot listen for call-backs on {placed[0]}:{placed[2]}: {exc}"
        return self._canary

    def close(self) -> None:
        if isinstance(self._canary, Canary):
            self._canary.close()

    # -- identities ------------------------------------------------------------------------------------------

    @property
    def users(self) -> list[Identity]:
        """Ordinary (non-admin) identities, in the auth file's order."""
        return [i for i in self.identities if not i.admin]

    @property
    def admins(self) -> list[Identity]:
        return [i for i in self.identities if i.admin]

    @property
    def safe(self) -> bool:
        return not self.target.allow_destructive

    # -- traffic ---------------------------------------------------------------------------------------------

    def request(  # noqa: PLR0913  keyword-only: every part of a request a check may set
        self,
        op: Operation,
        actor: Actor | None = None,
        *,
        method: str | None = None,
        path_values: dict[str, str] | None = None,
        query: list[tuple[str, str]] | str | None = None,
        body: Any = _MISSING,
        raw_body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        retry_429: bool = True,
    ) -> Exchange:
        """Send `op` as `actor` with schema-valid defaults for whatever the caller does not set."""
        actor = actor or self.anonymous
        name = actor.name
        values = self.filler.path_values(op, name)
        values.update(path_values or {})
        path = op.render_path(values)
        if query is None:
            query = self.filler.query(op, name)
        send_headers = {**actor.headers(), **(headers or {})}
        kwargs: dict[str, Any] = {}
        if raw_body is not None:
            kwargs["content"] = raw_body
            if op.body_media:
                send_headers.setdefault("content-type", op.body_media)
        elif body is not _MISSING:
            if body is not None:
                kwargs["json"] = body
        elif op.body_schema is not None and (method or op.method) in ("POST", "PUT", "PATCH"):
            kwargs["json"] = self.filler.body(op, name)
        exchange = self.target.send(
            method or op.method,
            path,
            query=query,
            headers=send_headers,
            timeout=timeout,
            retry_429=retry_429,
            identity=name,
            operation=op.key,
            **kwargs,
        )
        if exchange.status == 401 and isinstance(actor, Identity) and actor.can_log_in and actor.logins:
            actor.invalidate()  # a check (or the API's defences) ended the session: log in again, once
            send_headers.update(actor.headers())
            exchange = self.target.send(
                method or op.method,
                path,
                query=query,
                headers=send_headers,
                timeout=timeout,
                retry_429=retry_429,
                identity=name,
                operation=op.key,
                **kwargs,
            )
        return exchange
