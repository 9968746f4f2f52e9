"""`make bench-scan-trust`: how long `bastion scan` takes where trust is at stake, with default settings.

- a dead target (nothing listening): must exit 2 in under 30 s, with one line;
- a target one request hangs for good (single-threaded, tests/scan_lab/hanging.py): must finish, report
  the outage and write every report (defaults: --timeout 10, --recovery-wait 30);
- the scan lab's REST, GraphQL and fragile APIs, flawed and fixed (tests/scan_lab): every planted flaw
  found, the target still answering at the end.

Timings on a shared machine are noisy; each line says what was measured and how.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scan_targets import (  # noqa: E402
    FRAGILE_SPEC,
    GRAPHQL_AUTH,
    GRAPHQL_SDL,
    HANGING_SPEC,
    REST_AUTH,
    REST_SPEC,
    fragile,
    graphql_lab,
    hanging,
    rest_lab,
    scan,
)
from tests.servers import free_port  # noqa: E402

from bastion.scan.result import ScanResult  # noqa: E402


def cli(*args: str) -> tuple[float, int, str]:
    started = time.monotonic()
    command = [sys.executable, "-m", "bastion", "scan", *args]
    done = subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT)
    return time.monotonic() - started, done.returncode, done.stderr.strip().splitlines()[-1] if done.stderr else ""


def timed(run: Callable[[], ScanResult]) -> tuple[float, ScanResult]:
    started = time.monotonic()
    result = run()
    return time.monotonic() - started, result


def line(name: str, seconds: float, result: ScanResult) -> str:
    serious = sum(1 for f in result.findings if f.severity.label in ("medium", "high", "critical"))
    return (
        f"{name}: {seconds:.1f} s, {result.requests} requests, {serious} findings medium+, "
        f"complete={not result.incomplete}, outages={len(result.outages)}"
    )


def main() -> int:
    for name in ("ariadne", "scan-lab-rest", "scan-lab-fragile", "werkzeug"):  # the labs' own error logs
        logging.getLogger(name).setLevel(logging.CRITICAL)
    out = Path(tempfile.mkdtemp(prefix="bastion-scan-trust-"))
    seconds, code, last = cli("--spec", str(REST_SPEC), "--target", f"http://127.0.0.1:{free_port()}")
    print(f"dead target: {seconds:.1f} s, exit {code}: {last}")
    with hanging("forever") as server:
        seconds, code, last = cli(
            "--spec", str(HANGING_SPEC), "--target", server.url, "--format", "json,sarif,junit,html",
            "--output-dir", str(out),
        )  # fmt: skip
    files = sorted(p.name for p in out.iterdir())
    print(f"hanging target (defaults): {seconds:.1f} s, exit {code}, wrote {', '.join(files)}")
    for fixed in (False, True):
        twin = "fixed" if fixed else "flawed"
        with rest_lab(fixed=fixed) as server:
            print(line(f"REST lab, {twin}", *timed(lambda s=server: scan(s.url, REST_SPEC, REST_AUTH, rate=None))))
        with graphql_lab(fixed=fixed) as server:
            print(
                line(
                    f"GraphQL lab, {twin}",
                    *timed(
                        lambda s=server, f=fixed: scan(
                            s.url,
                            None,
                            GRAPHQL_AUTH,
                            rate=None,
                            graphql=f"{s.url}/graphql",
                            graphql_schema=GRAPHQL_SDL if f else None,
                        )
                    ),
                )
            )
        with fragile(fixed=fixed) as server:
            print(line(f"fragile lab, {twin}", *timed(lambda s=server: scan(s.url, FRAGILE_SPEC, None, rate=None))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
