"""Running a scan: load the spec, log in, map the API, run the selected checks, collect the findings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bastion.openapi.document import SpecError, document_from_data, load_document, parse_document
from bastion.scan.auth import LoginFailed
from bastion.scan.checks import selected
from bastion.scan.context import ScanContext, ScanOptions
from bastion.scan.discover import discover
from bastion.scan.findings import CheckInfo, Finding, Phase
from bastion.scan.masking import Masker
from bastion.scan.operations import Spec
from bastion.scan.registry import RegisteredCheck
from bastion.scan.reporter import Reporter
from bastion.scan.target import BudgetExhausted, ScopeError, Target, UnsafeRequest


class ScanError(Exception):
    """The scan cannot start (bad spec, unreachable target, a host out of scope): exit code 2."""


@dataclass
class CheckRun:
    info: CheckInfo
    status: str  # ran, skipped, error, budget
    reason: str = ""
    requests: int = 0
    seconds: float = 0.0


@dataclass
class ScanResult:
    target: str
    spec_title: str
    started: float
    duration: float
    requests: int
    budget: int
    findings: list[Finding]
    checks: list[CheckRun]
    coverage: dict[str, set[str]]
    operations: list[str]
    budget_exhausted: bool = False
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[str, int, int], None]


EMPTY_SPEC = {"openapi": "3.1.0", "info": {"title": "", "version": "0"}, "paths": {}}


def load_spec(source: str | None, target: Target) -> Spec:
    if source is None:  # a GraphQL-only scan: no REST operations
        return Spec(document_from_data(EMPTY_SPEC, Path("graphql")))
    try:
        if source.startswith(("http://", "https://")):
            exchange = target.send("GET", source, retry_429=True, operation="spec")
            if not exchange.ok:
                raise ScanError(f"--spec {source}: the target answered {exchange.status or exchange.error}")
            data = parse_document(exchange.body, source)
            return Spec(document_from_data(data, Path(source.rsplit("/", 1)[-1] or "openapi")))
        return Spec(load_document(source))
    except SpecError as exc:
        raise ScanError(str(exc)) from None
    except ScopeError as exc:
        raise ScanError(f"--spec: {exc}") from None


def run_scan(options: ScanOptions, progress: Progress | None = None) -> ScanResult:
    masker = Masker()
    try:
        target = Target(
            options.target,
            budget=options.budget,
            rate=options.rate,
            timeout=options.timeout,
            allow_destructive=options.allow_destructive,
            verify_tls=options.verify_tls,
        )
    except ValueError as exc:
        raise ScanError(str(exc)) from None
    try:
        checks = selected(options.only, options.skip)
    except ValueError as exc:
        raise ScanError(str(exc)) from None
    started = time.time()
    try:
        spec = load_spec(options.spec, target)
        ctx = ScanContext(spec, target, options, masker)
        runs: list[CheckRun] = []
        exhausted = False
        total = len(checks) + 1
        warnings: list[str] = []
        if any(c.info.phase != Phase.STATIC for c in checks):  # a spec audit alone sends nothing
            warnings = _log_in(ctx)
            if progress:
                progress("discover", 0, total)
            try:
                discover(ctx)
            except BudgetExhausted:
                exhausted = True
        for index, registered in enumerate(checks, start=1):
            if progress:
                progress(registered.info.id, index, total)
            runs.append(_run_one(ctx, registered, exhausted))
            exhausted = exhausted or runs[-1].status == "budget"
        if progress:
            progress("done", total, total)
    finally:
        target.close()
    findings = ctx.findings.sorted()
    return ScanResult(
        target=options.target,
        spec_title=str((spec.data.get("info") or {}).get("title", "")) or (options.graphql or ""),
        started=started,
        duration=time.time() - started,
        requests=target.sent,
        budget=options.budget,
        findings=findings,
        checks=runs,
        coverage=ctx.findings.coverage,
        operations=[op.key for op in spec.operations] + (["graphql"] if options.graphql else []),
        budget_exhausted=exhausted,
        warnings=warnings,
    )


def _log_in(ctx: ScanContext) -> list[str]:
    """Log every test user in; one that cannot is left out of the scan (and named in the report)."""
    warnings = []
    usable = []
    for identity in ctx.identities:
        try:
            identity.headers()
            usable.append(identity)
        except LoginFailed as exc:
            warnings.append(f"{exc}; the scan continues without this user")
        except BudgetExhausted:
            break
    ctx.identities = usable
    return warnings


def _run_one(ctx: ScanContext, registered: RegisteredCheck, exhausted: bool) -> CheckRun:
    info = registered.info
    if exhausted and info.phase not in (Phase.PASSIVE, Phase.STATIC):
        return CheckRun(info, "budget", "the request budget was spent before this check")
    if len(ctx.users) < info.needs_users:
        return CheckRun(info, "skipped", f"needs {info.needs_users} non-admin test user(s) in --auth")
    if info.needs_admin and not ctx.admins:
        return CheckRun(info, "skipped", "needs an admin test user in --auth")
    if info.needs_graphql and ctx.options.graphql is None:
        return CheckRun(info, "skipped", "needs --graphql (the GraphQL endpoint)")
    before, started = ctx.target.sent, time.perf_counter()
    status, reason = "ran", ""
    try:
        registered.run(ctx, Reporter(info, ctx.findings))
    except BudgetExhausted:
        status, reason = "budget", "the request budget ran out during this check"
    except UnsafeRequest as exc:
        status, reason = "error", f"refused an unsafe request: {exc}"
    except LoginFailed as exc:
        status, reason = "error", str(exc)
    except Exception as exc:  # one broken check must not lose the others' findings
        status, reason = "error", f"{exc.__class__.__name__}: {exc}"[:300]
    note = ctx.findings.notes.get(info.id)
    if note and status == "ran":
        status, reason = "skipped", note
    return CheckRun(info, status, ctx.masker.text(reason), ctx.target.sent - before, time.perf_counter() - started)
