"""What every check gets: the target, the operations, the identities and one place to report to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bastion.scan.auth import AuthFile, Identity, LoginConfig
from bastion.scan.findings import Confidence, Evidence, Finding, Severity
from bastion.scan.masking import Masker
from bastion.scan.operations import Operation, Spec
from bastion.scan.registry import REGISTRY, CheckInfo
from bastion.scan.target import Exchange, Target
from bastion.scan.values import Filler, Harvest

_MISSING: Any = object()
EXCERPT_CHARS = 1200


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
    rate: float = 50.0
    timeout: float = 10.0
    allow_destructive: bool = False
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    verify_tls: bool = True
    graphql: str | None = None  # the GraphQL endpoint (path or URL on the target)
    graphql_schema: Path | None = None  # its SDL, when introspection is off
    asyncapi: Path | None = None  # an AsyncAPI document: the WebSocket channels to test


class ScanContext:
    def __init__(self, spec: Spec, target: Target, options: ScanOptions, masker: Masker) -> None:
        self.spec = spec
        self.target = target
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
        self.findings: dict[tuple[str, str], Finding] = {}
        self.coverage: dict[str, set[str]] = {}
        self.notes: dict[str, str] = {}
        self.baselines: dict[tuple[str, str], Exchange] = {}
        self.facts: dict[str, Any] = {}  # what one check learned that another can use (a cracked secret ...)
        self.current_check = ""

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

    def request(
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

    # -- reporting -------------------------------------------------------------------------------------------

    def tested(self, check_id: str, operation: str) -> None:
        self.coverage.setdefault(check_id, set()).add(operation)

    def evidence(self, exchange: Exchange, note: str = "") -> Evidence:
        m = self.masker
        body = None
        if exchange.request_body is not None:
            body = m.body(exchange.request_body.decode("utf-8", errors="replace"))[:4000]
        excerpt = m.body(exchange.text)[:EXCERPT_CHARS] if exchange.body else (exchange.error or "")
        if exchange.truncated or len(exchange.text) > EXCERPT_CHARS:
            excerpt += " …"
        return Evidence(
            method=exchange.method,
            url=m.text(exchange.url),
            request_headers=tuple((k, m.header(k, v)) for k, v in exchange.request_headers),
            request_body=body,
            status=exchange.status,
            response_headers=tuple((k, m.header(k, v)) for k, v in exchange.headers),
            response_excerpt=excerpt,
            elapsed_ms=exchange.elapsed * 1000,
            note=note,
        )

    def report(
        self,
        check_id: str,
        operation: str,
        detail: str,
        evidence: list[tuple[Exchange, str]] | None = None,
        *,
        severity: Severity | None = None,
        confidence: Confidence = Confidence.FIRM,
        title: str | None = None,
    ) -> Finding:
        """Record a finding; a second one for the same check and operation only counts an occurrence."""
        info: CheckInfo = REGISTRY[check_id].info
        self.tested(check_id, operation)
        key = (check_id, operation)
        existing = self.findings.get(key)
        if existing is not None:
            existing.occurrences += 1
            if severity is not None and severity > existing.severity:
                existing.severity = severity
            return existing
        finding = Finding(
            check_id=check_id,
            title=title or info.title,
            severity=severity if severity is not None else info.severity,
            confidence=confidence,
            cwe=info.cwe,
            owasp=info.owasp_name,
            operation=operation,
            detail=self.masker.text(detail),
            remediation=info.remediation,
            bastion=info.bastion,
            evidence=[self.evidence(ex, note) for ex, note in (evidence or [])[:4]],
        )
        self.findings[key] = finding
        return finding

    def skip(self, check_id: str, reason: str) -> None:
        self.notes[check_id] = reason
