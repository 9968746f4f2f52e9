"""`bastion explain`: why would this request be allowed or refused? One line per guard."""

from __future__ import annotations

from typing import Annotated

import typer

from bastion.cli.app import ConfigOption, app, fail, load_or_exit, out

__all__ = ["explain"]


@app.command()
def explain(  # noqa: PLR0913  one parameter per `bastion explain` option (typer)
    config: ConfigOption,
    method: Annotated[str, typer.Argument(help="HTTP method, e.g. GET")],
    target: Annotated[str, typer.Argument(help="Path and query, e.g. /users/7/orders?limit=5")],
    as_: Annotated[
        str | None, typer.Option("--as", help="Identity: role=user,sub=42[,scope=a][,tenant=t][,claim.x=y]")
    ] = None,
    header: Annotated[list[str] | None, typer.Option("--header", "-H", help="'Name: value' (repeat)")] = None,
    body: Annotated[str | None, typer.Option(help="JSON request body")] = None,
) -> None:
    """Show the decision for a request and the rule that made it."""
    import asyncio  # noqa: PLC0415  lazy: see cli/app.py

    from bastion.engine import Engine  # noqa: PLC0415
    from bastion.errors import StartupError  # noqa: PLC0415
    from bastion.explain import explain as explain_request  # noqa: PLC0415
    from bastion.explain import parse_headers  # noqa: PLC0415

    cfg = load_or_exit(config)
    try:
        engine = Engine(cfg, source=config)
    except StartupError as exc:
        fail(f"{config}: {exc}")
    try:
        headers = parse_headers(header or [])
        result = asyncio.run(explain_request(engine, method, target, identity_text=as_, headers=headers, body=body))
    except ValueError as exc:
        fail(str(exc))
    title, *rest, last = result.lines()
    out.print(f"[bold]{title}[/]")
    for line in rest:
        out.print(line, markup=False)
    if result.refused_status is None:
        out.print("[green]decision:  allowed[/]")
    else:
        out.print(last, style="red", markup=False)
        raise typer.Exit(1)
