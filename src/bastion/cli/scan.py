"""`bastion scan`: the command and its options; the scanner is imported only when it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bastion.cli.app import app
from bastion.scan.defaults import DEFAULT_MIN_COVERAGE


@app.command()
def scan(  # noqa: PLR0913  one parameter per `bastion scan` option (typer)
    spec: Annotated[str | None, typer.Option("--spec", help="OpenAPI file, or its URL on the target.")] = None,
    graphql: Annotated[
        str | None, typer.Option("--graphql", help="GraphQL endpoint URL (or path on --target) to test.")
    ] = None,
    graphql_schema: Annotated[
        Path | None, typer.Option("--graphql-schema", help="The GraphQL schema (SDL) when introspection is off.")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Base URL of the API to test; nothing else is contacted.")
    ] = None,
    asyncapi: Annotated[
        Path | None, typer.Option("--asyncapi", help="AsyncAPI document: WebSocket channels to test.")
    ] = None,
    auth: Annotated[Path | None, typer.Option("--auth", help="Test identities and how they log in (YAML).")] = None,
    formats: Annotated[list[str] | None, typer.Option("--format", help="console,json,sarif,junit,html")] = None,
    output_dir: Annotated[Path, typer.Option("--output-dir", help="Where report files go.")] = Path("bastion-scan"),
    fail_on: Annotated[str, typer.Option("--fail-on", help="Exit 1 if a finding is at least this severe.")] = "high",
    budget: Annotated[int, typer.Option("--budget", min=1, max=1_000_000, help="Most requests sent.")] = 5000,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate",
            min=0.1,
            max=10_000,
            help="Most requests per second (default: 200 loopback, 100 private, 25 public).",
        ),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.5, max=120, help="Seconds per request.")] = 10.0,
    max_time: Annotated[
        float,
        typer.Option("--max-time", min=1, max=86_400, help="Seconds for the whole scan; then reports are written."),
    ] = 600.0,
    recovery_wait: Annotated[
        float, typer.Option("--recovery-wait", min=0, max=600, help="Seconds a target that stopped answering gets.")
    ] = 30.0,
    min_coverage: Annotated[
        float,
        typer.Option("--min-coverage", min=0, max=100, help="Percent of operations that must answer 2xx (0: off)."),
    ] = DEFAULT_MIN_COVERAGE,
    allow_anonymous: Annotated[
        bool, typer.Option("--allow-anonymous", help="Scan even when no test user can log in.")
    ] = False,
    crack_time: Annotated[
        float, typer.Option("--crack-time", min=0, max=10, help="Seconds of offline JWT secret cracking (<= 10).")
    ] = 10.0,
    callback_host: Annotated[
        str | None, typer.Option("--callback-host", help="Address[:port] the target reaches the SSRF canary at.")
    ] = None,
    allow_destructive: Annotated[
        bool, typer.Option("--allow-destructive/--safe", help="Safe (default): no DELETE, nothing destructive.")
    ] = False,
    only: Annotated[list[str] | None, typer.Option("--only", help="Check ids or prefixes to run.")] = None,
    skip: Annotated[list[str] | None, typer.Option("--skip", help="Check ids or prefixes to leave out.")] = None,
    insecure: Annotated[bool, typer.Option("--insecure", help="Do not verify the target's TLS certificate.")] = False,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="Print the checks and exit.")] = False,
) -> None:
    """Attack a running API like a careful attacker, from its OpenAPI or GraphQL description."""
    from bastion.scan.command import run_command  # noqa: PLC0415  lazy: the scanner (Hypothesis, Jinja2) loads only for `bastion scan`

    run_command(
        spec=spec,
        graphql=graphql,
        graphql_schema=graphql_schema,
        target=target,
        asyncapi=asyncapi,
        auth=auth,
        formats=formats,
        output_dir=output_dir,
        fail_on=fail_on,
        budget=budget,
        rate=rate,
        timeout=timeout,
        max_time=max_time,
        recovery_wait=recovery_wait,
        min_coverage=min_coverage,
        allow_anonymous=allow_anonymous,
        crack_time=crack_time,
        callback_host=callback_host,
        allow_destructive=allow_destructive,
        only=only,
        skip=skip,
        insecure=insecure,
        list_checks=list_checks,
    )
