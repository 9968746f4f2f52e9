"""`bastion reload`: ask every worker of a running gateway, through its admin API, to load the policy again."""

from __future__ import annotations

from typing import Annotated

import typer

from bastion.cli.app import ConfigOption, app, compile_or_exit, err, fail, out


@app.command()
def reload(
    config: ConfigOption,
    url: Annotated[
        str | None, typer.Option(help="Admin base URL of one process (default: from admin.host/port, every worker).")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each process.")] = 30.0,
) -> None:
    """Reload the policy in a running gateway; a file `bastion check` refuses is not sent at all."""
    cfg = compile_or_exit(config).config  # what the workers would refuse is refused here, before asking
    if cfg.admin is None and url is None:
        fail(f"{config}: admin: the gateway has no admin listener to ask (or pass --url); SIGHUP works too")
    if url is not None:
        targets = [url.rstrip("/")]
    else:
        assert cfg.admin is not None
        if cfg.admin.port == 0:
            fail(f"{config}: admin.port is 0 (a random port): pass --url")
        scheme = "https" if cfg.admin.tls else "http"
        host = "127.0.0.1" if cfg.admin.host in ("0.0.0.0", "::") else cfg.admin.host  # noqa: S104
        targets = [f"{scheme}://{host}:{cfg.admin.port + n}" for n in range(cfg.workers)]
    import httpx  # noqa: PLC0415  lazy: the HTTP client (3.6 MiB) stays out of `bastion serve`, which shares this package

    headers = {"authorization": f"Bearer {cfg.admin.token}"} if cfg.admin and cfg.admin.token else {}
    failed = 0
    for target in targets:
        try:
            response = httpx.post(f"{target}/v1/reload", headers=headers, timeout=timeout)
        except httpx.HTTPError as exc:
            err.print(f"{target}: unreachable: {exc}")
            failed += 1
            continue
        if response.status_code == 200:
            out.print(f"{target}: reloaded, config {response.json().get('config')}")
        else:
            detail = (
                response.json().get("detail", response.text)
                if response.headers.get("content-type", "").endswith("json")
                else response.text
            )
            err.print(f"{target}: {response.status_code}: {detail}", markup=False)
            failed += 1
    if failed:
        raise typer.Exit(1)
