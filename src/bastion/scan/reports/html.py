"""A single-file HTML report: no scripts, no external assets, readable offline and safe to open.

Everything the API returned is untrusted, so the template autoescapes every value; the page carries a
Content-Security-Policy that forbids scripts, in case a future change forgets.
"""

from __future__ import annotations

from datetime import UTC, datetime

from jinja2 import Environment, PackageLoader, select_autoescape

from bastion import __version__
from bastion.scan.findings import Severity
from bastion.scan.reports.json_report import summary
from bastion.scan.result import ScanResult

_env = Environment(
    loader=PackageLoader("bastion.scan.reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(result: ScanResult) -> str:
    template = _env.get_template("report.html.j2")
    return template.render(
        result=result,
        version=__version__,
        started=datetime.fromtimestamp(result.started, UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        summary=summary(result),
        severities=[s.label for s in sorted(Severity, reverse=True)],
    )
