"""`bastion explain`: why would this request be allowed or refused? One line per guard."""

from __future__ import annotations

import asyncio
from typing import Annotated

import orjson
import typer

from bastion.cli.app import ConfigOption, app, fail, load_or_exit, out
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request
from bastion.engine import Engine
from bastion.errors import StartupError


def parse_identity(text: str) -> Identity:
    """`role=user,sub=42,scope=orders:read,tenant=t1,claim.department=sales` as an Identity."""
    fields: dict[str, list[str]] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"--as: {part!r} is not name=value")
        fields.setdefault(name.strip(), []).append(value.strip())
    claims = {k[6:]: v[0] for k, v in fields.items() if k.startswith("claim.")}
    subject = (fields.get("sub") or fields.get("subject") or ["anonymous"])[0]
    roles = [r for value in fields.get("role", []) + fields.get("roles", []) for r in value.split("|") if r]
    scopes = [s for value in fields.get("scope", []) + fields.get("scopes", []) for s in value.split() if s]
    return Identity(
        subject=subject,
        method="explain",
        roles=frozenset(roles),
        scopes=frozenset(scopes),
        tenant=fields["tenant"][0] if "tenant" in fields else None,
        claims={"sub": subject, **claims},
    )


@app.command()
def explain(
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
    cfg = load_or_exit(config)
    try:
        engine = Engine(cfg, source=config)
    except StartupError as exc:
        fail(f"{config}: {exc}")
    identity: Identity | None = None
    if as_:
        try:
            identity = parse_identity(as_)
        except ValueError as exc:
            fail(str(exc))
    headers = [("host", "explain.local")]
    for item in header or []:
        name, sep, value = item.partition(":")
        if not sep:
            fail(f"--header {item!r}: expected 'Name: value'")
        headers.append((name.strip().lower(), value.strip()))
    raw_body = body.encode() if body is not None else None
    if raw_body is not None:
        try:
            orjson.loads(raw_body)
        except orjson.JSONDecodeError:
            fail("--body is not valid JSON")
        headers += [("content-type", "application/json"), ("content-length", str(len(raw_body)))]
    path, _, query = target.partition("?")
    request = Request(
        method=method.upper(), path=path, query=query, headers=Headers(headers), client="127.0.0.1", body=raw_body
    )
    ctx = Context("explain-0000000001")
    skip: frozenset[str] = frozenset()
    if identity is not None:
        ctx.identity = identity
        skip = frozenset({"authn"})
    decision = asyncio.run(engine.pipeline.check(request, ctx, skip=skip))

    who = f"as {as_}" if as_ else "without an identity"
    out.print(f"[bold]{method.upper()} {target}[/] {who}")
    if ctx.route is None:
        out.print("route:     (no route matches)")
    else:
        op = ctx.route.operation
        params = ", ".join(f"{k}={v}" for k, v in ctx.route.params.items())
        out.print(
            f"route:     {ctx.route.route.template} -> {op.id if op else '(method not declared)'}"
            + (f" ({params})" if params else "")
        )
    findings = {f.guard: f for f in ctx.findings}
    reached = True
    for name in engine.pipeline.guard_names:
        if name in skip:
            out.print(f"{name + ':':<10} skipped (identity given with --as)")
            continue
        if not reached:
            out.print(f"{name + ':':<10} not reached")
            continue
        finding = findings.get(name)
        if finding is None:
            notes = [f"{rule}: {reason}" for guard, rule, reason in ctx.trace if guard == name]
            out.print(f"{name + ':':<10} pass" + (f" ({'; '.join(notes)})" if notes else ""), markup=False)
            continue
        verdict = finding.verdict
        label = "REFUSED" if finding.mode == "enforce" else "recorded (monitor)"
        out.print(f"{name + ':':<10} {label} {verdict.status} {verdict.rule}: {verdict.reason}", markup=False)
        if finding.mode == "enforce":
            reached = False
    if decision.refusal is None:
        out.print("[green]decision:  allowed[/]")
    else:
        out.print(f"[red]decision:  {decision.refusal.status} (rule {decision.refusal.rule})[/]")
        raise typer.Exit(1)
