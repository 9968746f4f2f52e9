"""`bastion audit verify|search`, `bastion incidents list|show|resolve`, `bastion bans list|lift`."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from bastion.cli.app import ConfigOption, app, err, fail, load_or_exit, out, store_of

if TYPE_CHECKING:  # the commands import what they use when they run (cli/app.py)
    from bastion.config import BastionConfig
    from bastion.crypto.sealing import Sealer

audit_app = typer.Typer(help="Check and search the audit trail.", no_args_is_help=True)
incidents_app = typer.Typer(help="Incidents opened by the detectors.", no_args_is_help=True)
bans_app = typer.Typer(help="Temporary bans by incident response.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(incidents_app, name="incidents")
app.add_typer(bans_app, name="bans")


def _reader(config: BastionConfig) -> Any:
    audit = config.audit
    if audit is None:
        fail("the audit trail is turned off (audit: null)")
    if "sqlite" in audit.sinks:
        from bastion.audit.sinks.sqlite import SQLiteReader  # noqa: PLC0415  lazy: see cli/app.py

        return SQLiteReader(config.store.path)
    if "postgres" in audit.sinks and audit.postgres is not None:
        from bastion.audit.sinks.postgres import PostgresReader  # noqa: PLC0415  lazy: psycopg only when the trail is in PostgreSQL

        return PostgresReader(audit.postgres.dsn, audit.postgres.table)
    fail("verify and search read the sqlite or postgres sink; this policy writes neither")


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S") if ts else ""


@audit_app.command("verify")
def verify(config: ConfigOption) -> None:
    """Check the hash chain and the signed checkpoints; name every deleted, inserted or edited event."""
    from bastion.audit.chain import verify as verify_chain  # noqa: PLC0415  lazy: see cli/app.py
    from bastion.crypto.keyring import Keyring  # noqa: PLC0415

    cfg = load_or_exit(config)
    reader = _reader(cfg)
    keys = Keyring(cfg.secrets).all("audit-chain")
    checked, problems = verify_chain(reader.events(), reader.checkpoints(), keys)
    if not keys:
        out.print("warning: secrets.key is not set: checkpoint signatures cannot be checked")
    if problems:
        for problem in problems:
            out.print(f"TAMPERED  {problem}")
        out.print(f"{len(problems)} problem(s) in {checked} events")
        raise typer.Exit(1)
    out.print(f"ok: {checked} events, chain and checkpoints intact")


@audit_app.command("search")
def search(  # noqa: PLR0913  one parameter per `bastion audit search` filter (typer)
    config: ConfigOption,
    since: Annotated[str, typer.Option(help="How far back: 15m, 1h, 7d.")] = "1h",
    client: Annotated[str | None, typer.Option(help="Client address.")] = None,
    subject: Annotated[str | None, typer.Option(help="Identity subject.")] = None,
    status: Annotated[int | None, typer.Option(help="Response status.")] = None,
    decision: Annotated[str | None, typer.Option(help="allowed, refused, monitored, error.")] = None,
    rule: Annotated[str | None, typer.Option(help="Rule id prefix, e.g. waf. or authn.jwt")] = None,
    operation: Annotated[str | None, typer.Option(help="Operation id.")] = None,
    request_id: Annotated[str | None, typer.Option("--request-id", help="One request.")] = None,
    limit: Annotated[int, typer.Option(help="Events shown at most.")] = 100,
    json_output: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """Events matching every filter given, newest first."""
    from bastion.config.units import parse_duration  # noqa: PLC0415  lazy: see cli/app.py

    cfg = load_or_exit(config)
    try:
        cutoff = time.time() - parse_duration(since)
    except ValueError as exc:
        fail(f"--since: {exc}")
    filters = {"client": client, "subject": subject, "status": status, "decision": decision,
               "rule": rule, "operation": operation, "request_id": request_id}  # fmt: skip
    found = _reader(cfg).search(cutoff, filters, limit)
    events = found.events
    if found.edited:
        err.print(
            f"warning: {found.edited} matching event(s) left out: their stored columns no longer agree with their "
            "hashed record (edited); run `bastion audit verify`",
            markup=False,
        )
    if json_output:
        for event in events:
            out.print(orjson.dumps(event).decode(), markup=False, highlight=False)
        return
    from rich.table import Table  # noqa: PLC0415  lazy: rich only for the commands that print tables

    table = Table("time", "client", "who", "request", "status", "decision", "rules")
    for e in events:
        rules = " ".join(r["rule"] for r in e.get("rules") or [])
        who = e.get("subject") or e.get("key_id") or ""
        table.add_row(_when(e["ts"]), e.get("client") or "", who, f"{e['method']} {e['path']}", str(e["status"]),
                      e["decision"], rules)  # fmt: skip
    out.print(table)
    out.print(f"{len(events)} event(s)")


def _sealer(config: BastionConfig) -> Sealer:
    from bastion.crypto.keyring import Keyring  # noqa: PLC0415  lazy: see cli/app.py
    from bastion.crypto.sealing import Sealer  # noqa: PLC0415

    return Sealer(Keyring(config.secrets))


def _open(sealer: Sealer, sealed: str | None, associated: bytes) -> str:
    from bastion.crypto.sealing import SealError  # noqa: PLC0415  lazy: see cli/app.py

    if not sealed:
        return ""
    try:
        return sealer.open(sealed, associated).decode()
    except SealError as exc:
        return f"(sealed: {exc})"


@incidents_app.command("list")
def incidents_list(
    config: ConfigOption,
    all_: Annotated[bool, typer.Option("--all", help="Resolved ones too.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """Open incidents (or all), newest first."""
    cfg = load_or_exit(config)
    sealer = _sealer(cfg)
    rows = store_of(cfg).incidents(None if all_ else "open")
    from rich.table import Table  # noqa: PLC0415  lazy: rich only for the commands that print tables

    table = Table("id", "status", "opened", "updated", "alerts", "title")
    for row in rows:
        title = _open(sealer, row.title_sealed, b"incident-title")
        if json_output:
            line = {
                "id": row.id,
                "status": row.status,
                "opened_at": row.opened_at,
                "alerts": row.alerts,
                "title": title,
            }
            out.print(orjson.dumps(line).decode(), markup=False, highlight=False)
        table.add_row(row.id, row.status, _when(row.opened_at), _when(row.updated_at), str(row.alerts), title)
    if not json_output:
        out.print(table)


@incidents_app.command("show")
def incidents_show(config: ConfigOption, incident_id: Annotated[str, typer.Argument()]) -> None:
    """An incident, its alerts and their evidence (event references: `bastion audit search --request-id`)."""
    cfg = load_or_exit(config)
    found = store_of(cfg).incident(incident_id)
    if found is None:
        fail(f"no incident {incident_id}", 1)
    incident, alerts = found
    sealer = _sealer(cfg)
    out.print(
        f"incident {incident.id}: {incident.status}, opened {_when(incident.opened_at)}, {incident.alerts} alert(s)"
    )
    out.print(f"  {_open(sealer, incident.title_sealed, b'incident-title')}")
    if incident.note_sealed:
        out.print(f"  resolved {_when(incident.resolved_at)}: {_open(sealer, incident.note_sealed, b'incident-note')}")
    for alert in alerts:
        details = _open(sealer, alert.sealed, alert.id.encode())
        parsed = orjson.loads(details) if details.startswith("{") else {"summary": details}
        out.print(f"- alert {alert.id} {_when(alert.ts)} [{alert.detector}, {alert.mode}] {parsed.get('summary', '')}")
        if alert.responses:
            out.print(f"    responses: {' '.join(alert.responses)}")
        if parsed.get("evidence"):
            out.print(f"    evidence (stream:event): {' '.join(parsed['evidence'][:20])}")


@incidents_app.command("resolve")
def incidents_resolve(
    config: ConfigOption,
    incident_id: Annotated[str, typer.Argument()],
    note: Annotated[str, typer.Option(help="What was found and done (stored encrypted).")] = "",
) -> None:
    """Close an incident; later alerts about the same offender open a new one."""
    cfg = load_or_exit(config)
    sealer = _sealer(cfg)
    sealed = sealer.seal(note.encode(), b"incident-note") if note and sealer.available else None
    if not store_of(cfg).resolve_incident(incident_id, sealed):
        fail(f"no open incident {incident_id}", 1)
    out.print(f"incident {incident_id} resolved")


@bans_app.command("list")
def bans_list(
    config: ConfigOption,
    all_: Annotated[bool, typer.Option("--all", help="Expired and lifted ones too.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """Active bans (or all)."""
    cfg = load_or_exit(config)
    sealer = _sealer(cfg)
    now = time.time()
    from rich.table import Table  # noqa: PLC0415  lazy: rich only for the commands that print tables

    table = Table("id", "kind", "value", "until", "offence", "state", "reason")
    for ban in store_of(cfg).bans(active_only=not all_):
        state = "lifted" if ban.lifted_at else "active" if ban.until > now else "expired"
        value = _open(sealer, ban.value_sealed, ban.lookup.encode())
        if json_output:
            line = {"id": ban.id, "kind": ban.kind, "value": value, "until": ban.until, "offence": ban.level,
                    "state": state, "reason": ban.reason}  # fmt: skip
            out.print(orjson.dumps(line).decode(), markup=False, highlight=False)
        table.add_row(str(ban.id), ban.kind, value, _when(ban.until), str(ban.level), state, ban.reason)
    if not json_output:
        out.print(table)


@bans_app.command("lift")
def bans_lift(config: ConfigOption, ban_id: Annotated[int, typer.Argument()]) -> None:
    """End a ban now, in every gateway (within one sync interval)."""
    cfg = load_or_exit(config)
    record = store_of(cfg).lift_ban(ban_id)
    if record is None:
        fail(f"no active ban {ban_id}", 1)
    if cfg.state.backend == "redis" and cfg.detect is not None:
        import asyncio  # noqa: PLC0415  lazy: see cli/app.py

        from bastion.crypto.keyring import Keyring  # noqa: PLC0415
        from bastion.respond.bans import BanList  # noqa: PLC0415

        async def lift() -> None:
            bans = BanList(store_of(cfg), cfg.state, cfg.detect.bans, Keyring(cfg.secrets))  # type: ignore[union-attr]
            await bans.lifted(record)
            await bans.stop()

        asyncio.run(lift())
    out.print(f"ban {ban_id} lifted")
