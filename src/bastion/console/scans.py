"""Scans (optional page): a `bastion scan` JSON report, pasted or read from a path on the gateway's
host, shown finding by finding next to the policy snippet that blocks it.

Nothing is stored or fetched: the report is read, checked to be a `bastion scan` report (schema
version 1), and rendered. A path must name a `.json` file of at most `MAX_FILE` bytes; what else is
in a file that is not a report is never shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from bastion.console.app import Console
from bastion.console.sessions import Session
from bastion.hosts.admin import AdminRequest, AdminResponse

MAX_FILE = 20 * 1024 * 1024
_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


class NotAReport(ValueError):
    pass


def read_report(raw: bytes) -> dict[str, Any]:
    try:
        report = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise NotAReport("this is not JSON") from None
    if not isinstance(report, dict) or (report.get("tool") or {}).get("name") != "bastion scan":
        raise NotAReport("this is not a `bastion scan` JSON report (bastion-scan.json)")
    if report.get("schema_version") not in (1, 2):  # 2 adds coverage, completeness and blocking
        raise NotAReport(f"report schema version {report.get('schema_version')!r} is not one this console reads")
    findings = [f for f in report.get("findings") or [] if isinstance(f, dict)]
    findings.sort(key=lambda f: (_ORDER.get(str(f.get("severity")), 9), str(f.get("check")), str(f.get("operation"))))
    return {**report, "findings": findings}


def _from_path(text: str) -> dict[str, Any]:
    path = Path(text).expanduser()
    if path.suffix != ".json":
        raise NotAReport("name a .json report (bastion-scan/bastion-scan.json)")
    try:
        if not path.is_file():
            raise NotAReport(f"{path} is not a file on the gateway's host")
        if path.stat().st_size > MAX_FILE:
            raise NotAReport(f"{path} is larger than {MAX_FILE // (1024 * 1024)} MiB")
        return read_report(path.read_bytes())
    except OSError as exc:
        raise NotAReport(f"{path}: {exc.strerror or 'cannot be read'}") from None


async def scans(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    path = request.query.get("path", "").strip()
    report, error = None, None
    if path:
        try:
            report = _from_path(path)
        except NotAReport as exc:
            error = str(exc)
    return console.web.page("scans.html.j2", session=session, nav="scans", report=report, error=error, path=path)


async def upload(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    report, error = None, None
    try:
        report = read_report(request.form().get("report", "").encode())
    except NotAReport as exc:
        error = str(exc)
    return console.web.page(
        "scans.html.j2", http_status=422 if error else 200, session=session, nav="scans", report=report,
        error=error, path="",
    )  # fmt: skip
