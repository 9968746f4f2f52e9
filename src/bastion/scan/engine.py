"""Running a scan: reach the target, load the spec, log in, map the API, run the checks, collect the result.

However it ends (every check done, the budget or --max-time spent, SIGINT/SIGTERM, the target down or
a gateway blocking), the result is assembled the same way: findings so far, how each check ended and
why, coverage, and the reason the scan stopped early, so every report can be written and say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.openapi.document import SpecError, document_from_data, load_document, parse_document
from bastion.scan.auth import LoginFailed
from bastion.scan.checks import selected
from bastion.scan.context import ScanContext, ScanOptions
from bastion.scan.coverage import CoverageInputs, measure
from bastion.scan.discover import discover
from bastion.scan.findings import CheckInfo, Phase
from bastion.scan.masking import Masker
from bastion.scan.network import default_rate
from bastion.scan.operations import Spec
from bastion.scan.preflight import Unreachable, health_operation, reach
from bastion.scan.registry import RegisteredCheck
from bastion.scan.reporter import Reporter
from bastion.scan.result import CheckRun, ScanResult
from bastion.scan.stops import (
    BudgetExhausted,
    CheckAborted,
    DeadlineReached,
    ScanBlocked,
    ScanStopped,
    ScopeError,
    TargetDown,
    UnsafeRequest,
)
from bastion.scan.target import Target
from bastion.scan.watch import Watch

__all__ = ["CheckRun", "ScanError", "ScanResult", "run_scan"]


class ScanError(Exception):
    """The scan cannot start (bad spec, unreachable target, no working test user ...): exit code 2."""


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


def run_scan(
    options: ScanOptions,
    progress: Progress | None = None,
    *,
    clock: Clock = SYSTEM_CLOCK,
    sleep: Callable[[float], None] = time.sleep,
) -> ScanResult:
    host = urlsplit(options.target).hostname or ""
    try:
        target = Target(
            options.target,
            budget=options.budget,
            rate=options.rate if options.rate is not None else default_rate(host),
            timeout=options.timeout,
            allow_destructive=options.allow_destructive,
            verify_tls=options.verify_tls,
            clock=clock,
            sleep=sleep,
            max_time=options.max_time,
        )
        checks = selected(options.only, options.skip)
        if options.spec and options.spec.startswith(("http://", "https://")):
            target.url(options.spec)  # a --spec URL on another host is refused before anything is sent
    except ValueError as exc:
        raise ScanError(str(exc)) from None
    except ScopeError as exc:
        raise ScanError(f"--spec: {exc}") from None
    watch = Watch(options.recovery_wait)
    target.observer = watch
    started, started_at = clock.wall(), clock.monotonic()
    active = any(c.info.phase != Phase.STATIC for c in checks)
    remote_spec = bool(options.spec and options.spec.startswith(("http://", "https://")))
    try:
        spec = None if remote_spec else load_spec(options.spec, target)  # a bad file is reported first
        if active:
            try:
                watch.reference.append(reach(target))
            except Unreachable as exc:
                raise ScanError(str(exc)) from None
        spec = spec or load_spec(options.spec, target)
        ctx = ScanContext(spec, target, options, Masker(), watch)
        scan = _Scan(ctx, checks, progress)
        try:
            scan.run(active)
        finally:
            ctx.close()
    finally:
        target.close()
    return scan.result(started, clock.monotonic() - started_at)


class _Scan:
    """One scan's state while it runs: the check runs so far and, once it must stop, why."""

    def __init__(self, ctx: ScanContext, checks: list[RegisteredCheck], progress: Progress | None) -> None:
        self.ctx = ctx
        self.checks = checks
        self.progress = progress
        self.runs: list[CheckRun] = []
        self.stop: str | None = None
        self.budget_spent = False
        self.failed_logins: dict[str, str] = {}

    def run(self, active: bool) -> None:
        total = len(self.checks) + 1
        if active:
            self._log_in()
            if self.progress:
                self.progress("discover", 0, total)
            self._guarded(self._discover)
        for index, registered in enumerate(self.checks, start=1):
            if self.progress:
                self.progress(registered.info.id, index, total)
            self.runs.append(self._run_one(registered))
        if self.progress:
            self.progress("done", total, total)

    # -- before the checks -----------------------------------------------------------------------------------

    def _log_in(self) -> None:
        """Log every test user in; a spec that declares security needs at least one who can."""
        ctx = self.ctx
        usable = []
        for identity in ctx.identities:
            try:
                identity.headers()
                usable.append(identity)
            except LoginFailed as exc:
                self.failed_logins[identity.name] = exc.answer
            except ScanStopped as exc:
                raise ScanError(f"cannot log in: {exc}") from None
        ctx.identities = usable
        if usable or ctx.options.allow_anonymous:
            return
        if self.failed_logins:
            named = "; ".join(f"{name}: {answer}" for name, answer in self.failed_logins.items())
            raise ScanError(f"no test user could log in ({named}); fix --auth, or pass --allow-anonymous")
        secured = sum(1 for op in ctx.spec.operations if op.secured)
        if secured:
            raise ScanError(
                f"the spec declares security on {secured} operation(s) but --auth names no test user: the scan "
                "would only see refusals; give --auth, or pass --allow-anonymous"
            )

    def _discover(self) -> None:
        ctx = self.ctx
        health = health_operation(ctx.spec)
        if health is not None:
            probe = ctx.request(health, ctx.anonymous)
            if probe.status is not None:
                ctx.watch.reference.insert(0, probe)  # a cheaper liveness probe than the base URL
        discover(ctx)
        user_read = next(
            (
                exchange
                for (_, who), exchange in ctx.baselines.items()
                if who != "anonymous" and exchange.ok and exchange.method == "GET"
            ),
            None,
        )
        if user_read is not None:
            ctx.watch.reference.append(user_read)  # a ban on the user, not the address, shows here

    def _guarded(self, step: Callable[[], None]) -> None:
        self.ctx.watch.begin("discovery")
        try:
            step()
        except CheckAborted:
            pass  # the target came back: the checks still run
        except ScanStopped as exc:
            self._stopped(exc)
        except KeyboardInterrupt as exc:
            self._interrupted(exc)

    # -- one check -------------------------------------------------------------------------------------------

    def _run_one(self, registered: RegisteredCheck) -> CheckRun:
        ctx, info = self.ctx, registered.info
        not_run = self._not_run(info)
        if not_run is not None:
            return not_run
        before, started = ctx.target.sent, time.perf_counter()
        ctx.watch.begin(info.id)
        status, reason = "ran", ""
        try:
            registered.run(ctx, Reporter(info, ctx.findings))
        except (BudgetExhausted, DeadlineReached) as exc:
            status, reason = "budget", self._stopped(exc)
        except TargetDown as exc:
            status, reason = "error", self._stopped(exc)
        except ScanStopped as exc:
            status, reason = "skipped", self._stopped(exc)
        except CheckAborted as exc:
            status, reason = "error", str(exc)
        except KeyboardInterrupt as exc:
            status, reason = "skipped", self._interrupted(exc)
        except UnsafeRequest as exc:
            status, reason = "error", f"refused an unsafe request: {exc}"
        except LoginFailed as exc:
            status, reason = "error", str(exc)
        except Exception as exc:  # one broken check must not lose the others' findings
            status, reason = "error", f"{exc.__class__.__name__}: {exc}"[:300]
        note = ctx.findings.notes.get(info.id)
        found = any(check_id == info.id for check_id, _ in ctx.findings.by_key)
        if status == "ran" and note and not found:
            status, reason = "skipped", note
        elif status == "ran" and not found and not ctx.findings.coverage.get(info.id):
            status, reason = "skipped", "nothing in this API for this check to test"
            if ctx.options.graphql and ctx.facts.get("graphql_schema", True) is None:
                reason += " (the GraphQL schema is unknown: introspection was refused; give --graphql-schema)"
        return CheckRun(
            info,
            status,
            ctx.masker.text(reason),
            ctx.target.sent - before,
            time.perf_counter() - started,
            first_request=before + 1,
            last_request=ctx.target.sent,
        )

    def _not_run(self, info: CheckInfo) -> CheckRun | None:
        """Why a check is not run: test users or an endpoint it needs are missing, or the scan stopped."""
        ctx = self.ctx
        if len(ctx.users) < info.needs_users:
            return CheckRun(info, "skipped", f"needs {info.needs_users} non-admin test user(s) in --auth")
        if info.needs_admin and not ctx.admins:
            return CheckRun(info, "skipped", "needs an admin test user in --auth")
        if info.needs_graphql and ctx.options.graphql is None:
            return CheckRun(info, "skipped", "needs --graphql (the GraphQL endpoint)")
        if self.stop is not None and info.phase not in (Phase.PASSIVE, Phase.STATIC):
            return CheckRun(info, "budget" if self.budget_spent else "skipped", self.stop)
        return None

    def _stopped(self, exc: ScanStopped) -> str:
        if isinstance(exc, BudgetExhausted):
            self.budget_spent = True
            reason = f"the request budget of {self.ctx.target.budget} was spent"
        elif isinstance(exc, DeadlineReached):
            self.budget_spent = True
            reason = f"--max-time of {self.ctx.options.max_time:g} s was reached"
        elif isinstance(exc, ScanBlocked):
            reason = str(exc)
        else:
            reason = str(exc)
        self.stop = self.stop or reason
        return reason

    def _interrupted(self, exc: KeyboardInterrupt) -> str:
        signal_name = str(exc) or "SIGINT"
        reason = f"the scan was interrupted ({signal_name})"
        self.stop = self.stop or reason
        return reason

    # -- the result ------------------------------------------------------------------------------------------

    def result(self, started: float, duration: float) -> ScanResult:
        ctx = self.ctx
        self._attribute_blocks()
        operations = [op.key for op in ctx.spec.operations] + (["graphql"] if ctx.options.graphql else [])
        coverage = measure(
            CoverageInputs(
                operations=operations,
                history=ctx.target.history,
                statuses=[run.status for run in self.runs],
                identities=[i.name for i in ctx.identities],
                identities_failed=self.failed_logins,
                traffic=ctx.target.sent > 0,
            ),
            ctx.options.min_coverage,
        )
        warnings = [f"user {name} could not log in: {answer}" for name, answer in self.failed_logins.items()]
        return ScanResult(
            target=ctx.options.target,
            spec_title=str((ctx.spec.data.get("info") or {}).get("title", "")) or (ctx.options.graphql or ""),
            started=started,
            duration=duration,
            requests=ctx.target.sent,
            budget=ctx.target.budget,
            findings=ctx.findings.sorted(),
            checks=self.runs,
            coverage=coverage,
            tested=ctx.findings.coverage,
            operations=operations,
            budget_exhausted=self.budget_spent and ctx.target.remaining == 0,
            warnings=warnings,
            stop_reason=self.stop,
            blocks=list(ctx.watch.blocks),
            outages=list(ctx.watch.outages),
        )

    def _attribute_blocks(self) -> None:
        """Checks that sent requests while a block was in force could not work: say so, never `ran`."""
        for block in self.ctx.watch.blocks:
            last = block.last_request or self.ctx.target.sent
            for run in self.runs:
                if run.requests and run.first_request <= last and run.last_request >= block.first_request:
                    block.affected.append(run.info.id)
                    found = any(c == run.info.id for c, _ in self.ctx.findings.by_key)
                    if run.status == "ran" and not found:
                        run.status, run.reason = "skipped", block.describe()
