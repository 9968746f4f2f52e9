"""`bastion keys ...`, `bastion revoke ...` and `bastion hash-password`: credentials at the command line."""

from __future__ import annotations

import getpass
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bastion.cli.app import ConfigOption, app, err, fail, load_or_exit, out, store_of

if TYPE_CHECKING:  # the commands import what they use when they run (cli/app.py)
    from bastion.config import BastionConfig
    from bastion.crypto.keyring import Keyring
    from bastion.store import Store

keys_app = typer.Typer(help="Create, list, revoke and rotate API keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _environment(config: BastionConfig) -> str:
    if config.authn:
        for method in config.authn.methods:
            if method.api_key:
                return method.api_key.environment
    return "live"


def _duration(text: str, option: str) -> float:
    from bastion.config.units import parse_duration  # noqa: PLC0415  lazy: see cli/app.py

    try:
        return parse_duration(text)
    except ValueError as exc:
        fail(f"{option}: {exc}")


def _open(config_path: Path) -> tuple[BastionConfig, Store, Keyring]:
    from bastion.crypto.keyring import Keyring  # noqa: PLC0415  lazy: see cli/app.py

    config = load_or_exit(config_path)
    keyring = Keyring(config.secrets)
    if not keyring.available:
        fail(f"{config_path}: secrets.key is required to issue API keys")
    return config, store_of(config), keyring


@keys_app.command("create")
def create(  # noqa: PLR0913  one parameter per `bastion keys create` option (typer)
    config: ConfigOption,
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    role: Annotated[list[str], typer.Option(help="Role granted (repeat for several).")],
    scopes: Annotated[list[str] | None, typer.Option("--scopes", help="Scope granted (repeat for several).")] = None,
    expires: Annotated[str | None, typer.Option(help="Lifetime, e.g. 90d or 12h.")] = None,
    tenant: Annotated[str | None, typer.Option(help="Tenant the key belongs to.")] = None,
) -> None:
    """Issue a key. It is printed once; only its keyed hash is stored."""
    from bastion.guards.authn.apikeys import new_key  # noqa: PLC0415  lazy: see cli/app.py

    cfg, store, keyring = _open(config)
    expires_at = time.time() + _duration(expires, "--expires") if expires else None
    key, record = new_key(
        keyring,
        name=name,
        environment=_environment(cfg),
        roles=tuple(role),
        scopes=tuple(scopes or ()),
        expires_at=expires_at,
        tenant=tenant,
    )
    store.create_key(record)
    err.print(f"created key {record.key_id} for {name!r}; store it now, it will not be shown again:")
    sys.stdout.write(key + "\n")


@keys_app.command("list")
def list_keys(config: ConfigOption) -> None:
    """List keys (never their secrets)."""
    _, store, _ = _open(config)
    from rich.table import Table  # noqa: PLC0415  lazy: rich only for the commands that print tables

    table = Table("id", "name", "roles", "scopes", "created", "expires", "last used", "state")
    now = time.time()
    for r in store.list_keys():
        state = "revoked" if r.revoked_at else "expired" if r.expires_at and r.expires_at <= now else "active"
        table.add_row(
            r.key_id,
            r.name,
            ",".join(r.roles),
            " ".join(r.scopes),
            _when(r.created_at),
            _when(r.expires_at),
            _when(r.last_used_at),
            state + (f" (replaced by {r.replaced_by})" if r.replaced_by else ""),
        )
    out.print(table)


@keys_app.command("revoke")
def revoke_key(
    config: ConfigOption, key_id: Annotated[str, typer.Argument(help="The key id (see keys list).")]
) -> None:
    """Revoke a key at once, in every gateway process."""
    _, store, _ = _open(config)
    _revoke_key(store, key_id, "revoked from the command line")
    out.print(f"revoked key {key_id}")


def _revoke_key(store: Store, key_id: str, reason: str) -> None:
    from bastion import revocations  # noqa: PLC0415  lazy: see cli/app.py

    if not revocations.revoke_key(store, key_id, reason):
        fail(f"no key with id {key_id!r}", 1)


@keys_app.command("rotate")
def rotate(
    config: ConfigOption,
    key_id: Annotated[str, typer.Argument(help="The key to replace.")],
    grace: Annotated[str, typer.Option(help="How long the old key keeps working, e.g. 1h or 0s.")] = "24h",
) -> None:
    """Issue a successor with the same name, roles and scopes; the old key expires after the grace period."""
    from bastion.guards.authn.apikeys import new_key  # noqa: PLC0415  lazy: see cli/app.py

    _, store, keyring = _open(config)
    old = store.get_key(key_id)
    if old is None:
        fail(f"no key with id {key_id!r}", 1)
    grace_seconds = _duration(grace, "--grace")
    key, record = new_key(
        keyring,
        name=old.name,
        environment=old.environment,
        roles=old.roles,
        scopes=old.scopes,
        expires_at=old.expires_at,
        tenant=old.tenant,
    )
    store.create_key(record)
    grace_until = time.time() + grace_seconds
    store.set_key_state(key_id, expires_at=min(old.expires_at or grace_until, grace_until), replaced_by=record.key_id)
    err.print(f"key {key_id} is replaced by {record.key_id} and stops working in {grace}; the new key:")
    sys.stdout.write(key + "\n")


@app.command("revoke")
def revoke(
    config: ConfigOption,
    kind: Annotated[str, typer.Argument(help="token or key")],
    value: Annotated[str, typer.Argument(help="A JWT, a jti, a token hash, or an API key id.")],
    until: Annotated[str | None, typer.Option(help="Forget the revocation after this long (e.g. 1h).")] = None,
) -> None:
    """Revoke a token (by jti, hash or the token itself) or an API key, in every gateway process."""
    from bastion import revocations  # noqa: PLC0415  lazy: see cli/app.py

    cfg = load_or_exit(config)
    store = store_of(cfg)
    if kind == "key":
        _revoke_key(store, value, "revoked from the command line")
        out.print(f"revoked key {value}")
        return
    if kind != "token":
        fail("the kind is `token` or `key`")
    expires_at = time.time() + _duration(until, "--until") if until else None
    revocation = revocations.token_revocation(value, expires_at=expires_at, reason="command line")
    store.add_revocation(revocation)
    out.print(f"revoked token {revocation.value}")


@app.command("hash-password")
def hash_password_command() -> None:
    """Read a password (prompt or stdin) and print its Argon2id hash for authn basic users."""
    from bastion.guards.authn.basic import hash_password  # noqa: PLC0415  lazy: see cli/app.py

    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        fail("use a password of at least 8 characters")
    sys.stdout.write(hash_password(password) + "\n")


def _when(value: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(value)) if value else "-"
