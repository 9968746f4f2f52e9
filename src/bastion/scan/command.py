"""What `bastion scan` does once its options are read: run, print, write the reports, exit.

Apart from the command's declaration (bastion/cli/scan.py) so that `bastion serve` and the other
commands never import the scanner (Hypothesis, httpx, Jinja2 ...).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bastion.cli.app import err, fail, out
from bastion.config.loader import ConfigError, load_model
from bastion.scan.auth import AuthFile
from bastion.scan.checks import selected
from bastion.scan.context import ScanOptions
from bastion.scan.engine import ScanError, run_scan
from bastion.scan.findings import Severity
from bastion.scan.reports import FORMATS, write
from bastion.scan.result import ScanResult
from bastion.scan.stops import ScanInterrupted

SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _list(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def run_command(  # noqa: PLR0913  keyword-only: one per `bastion scan` option
    *,
    spec: str | None,
    graphql: str | None,
    graphql_schema: Path | None,
    target: str | None,
    asyncapi: Path | None,
    auth: Path | None,
    formats: list[str] | None,
    output_dir: Path,
    fail_on: str,
    budget: int,
    rate: float | None,
    timeout: float,
    max_time: float,
    recovery_wait: float,
    min_coverage: float,
    allow_anonymous: bool,
    crack_time: float,
    callback_host: str | None,
    allow_destructive: bool,
    only: list[str] | None,
    skip: list[str] | None,
    insecure: bool,
    list_checks: bool,
) -> None:
    if list_checks:
        _print_checks()
        return
    if graphql and not target and graphql.startswith(("http://", "https://")):
        parts = urlsplit(graphql)
        target = f"{parts.scheme}://{parts.netloc}"
    if not (spec or graphql) or not target:
        fail("--spec (or --graphql) and --target are required: what to test, and the one host the scan may contact")
    chosen = _list(formats) or ["console"]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        fail(f"--format: unknown format {', '.join(unknown)}; use {', '.join(FORMATS)}")
    try:
        threshold = Severity.parse(fail_on)
    except ValueError as exc:
        fail(f"--fail-on: {exc}")
    auth_file = None
    if auth is not None:
        try:
            auth_file = load_model(AuthFile, auth)
        except ConfigError as exc:
            err.print(exc.render(), markup=False, soft_wrap=True)
            raise typer.Exit(2) from None
    options = ScanOptions(
        target=target,
        spec=spec,
        auth=auth_file,
        budget=budget,
        rate=rate,
        timeout=timeout,
        allow_destructive=allow_destructive,
        only=_list(only),
        skip=_list(skip),
        verify_tls=not insecure,
        graphql=graphql,
        graphql_schema=graphql_schema,
        allow_anonymous=allow_anonymous,
        min_coverage=min_coverage,
        max_time=max_time,
        recovery_wait=recovery_wait,
        callback_host=callback_host,
        crack_time=crack_time,
        asyncapi=asyncapi,
    )
    with interrupts() as stopped:
        try:
            result = _run(options, show_progress="console" in chosen)
        except ScanError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail(f"interrupted ({stopped() or 'SIGINT'}) before the scan started: no report written")
        if "console" in chosen:
            _print_result(result)
        for path in write(result, chosen, output_dir):
            err.print(f"wrote {path}")
    raise typer.Exit(exit_code(result, threshold))


def exit_code(result: ScanResult, threshold: Severity) -> int:
    """1: findings at or above --fail-on, or coverage under --min-coverage; 2: the scan did not finish."""
    failing = [f for f in result.findings if f.severity >= threshold]
    if failing:
        err.print(f"[bold red]{len(failing)} finding(s) at or above {threshold.label}[/]")
        return 1
    if result.incomplete:
        err.print(f"[bold red]incomplete scan: {result.stop_reason}[/]", markup=True)
        return 2
    shortfalls = result.coverage.shortfalls()
    if shortfalls:
        err.print(f"[bold red]coverage below --min-coverage: {'; '.join(shortfalls)}[/]")
        return 1
    return 0


@contextmanager
def interrupts() -> Iterator[Callable[[], str | None]]:
    """SIGINT and SIGTERM stop the scan once (ScanInterrupted); the report is then written undisturbed."""
    received: list[str] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if not received:
            received.append(name)
            raise ScanInterrupted(name)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield lambda: received[0] if received else None
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _run(options: ScanOptions, *, show_progress: bool) -> ScanResult:
    if not show_progress:
        return run_scan(options)
    with Progress(
        TextColumn("{task.description:<36}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err.console,
        transient=True,
    ) as progress:
        task = progress.add_task("scanning", total=1)

        def update(check_id: str, done: int, total: int) -> None:
            progress.update(task, description=check_id, completed=done, total=total)

        return run_scan(options, update)


def _print_result(result: ScanResult) -> None:
    table = Table(title=f"bastion scan — {result.spec_title or result.target}", show_lines=False)
    for column in ("severity", "check", "operation", "finding"):
        table.add_column(column, overflow="fold")
    for finding in result.findings:
        style = SEVERITY_STYLE[finding.severity.label]
        table.add_row(f"[{style}]{finding.severity.label}[/]", finding.check_id, finding.operation, finding.detail)
    out.print(table)
    counts = {s.label: sum(1 for f in result.findings if f.severity == s) for s in sorted(Severity, reverse=True)}
    line = ", ".join(f"{n} {label}" for label, n in counts.items() if n) or "no findings"
    out.print(f"{line} — {result.requests} requests in {result.duration:.1f} s against {result.target}")
    for run in result.checks:
        if run.status != "ran":
            out.print(f"  [dim]{run.info.id}: {run.status} — {run.reason}[/]", markup=True, highlight=False)
    out.print(result.coverage.summary(), markup=False, highlight=False)
    for gap in result.coverage.shortfalls():
        out.print(f"  [yellow]coverage:[/] {escape(gap)}")
    for warning in result.warnings:
        out.print(f"  [yellow]warning:[/] {escape(warning)}")
    for block in result.blocks:
        affected = ", ".join(block.affected) or "none"
        out.print(f"[bold red]BLOCKED:[/] {escape(block.describe())}; affected checks: {escape(affected)}")
    if result.stop_reason:
        out.print(f"[bold red]INCOMPLETE:[/] {escape(result.stop_reason)}; the reports say so")


def _print_checks() -> None:
    table = Table(title="bastion scan checks")
    for column in ("id", "severity", "CWE", "OWASP API 2023", "title"):
        table.add_column(column)
    for registered in selected([], []):
        info = registered.info
        table.add_row(info.id, info.severity.label, f"CWE-{info.cwe}", info.owasp, info.title)
    out.print(table)
