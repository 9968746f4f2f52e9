"""Report formats; each turns a `ScanResult` into one file (or the console) and knows nothing of checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bastion.scan.reports import html, json_report, junit, sarif
from bastion.scan.result import ScanResult

WRITERS: dict[str, tuple[str, Callable[[ScanResult], str]]] = {
    "json": ("bastion-scan.json", json_report.render),
    "sarif": ("bastion-scan.sarif", sarif.render),
    "junit": ("bastion-scan.junit.xml", junit.render),
    "html": ("bastion-scan.html", html.render),
}
FORMATS = ("console", *WRITERS)


def write(result: ScanResult, formats: list[str], directory: Path) -> list[Path]:
    """Write every file format asked for into `directory`; the console is rendered by the CLI."""
    written = []
    for name in formats:
        if name in WRITERS:
            filename, render = WRITERS[name]
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / filename
            path.write_text(render(result), encoding="utf-8")
            written.append(path)
    return written
