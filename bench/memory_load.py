"""Resident memory of one worker with the full policy over a million requests (issue 19: <= 80 MB).

`bastion serve` (core 0) with bench/pipeline's full policy in front of nginx; wrk (core 1, 32
connections) alternates 20-second runs of the GET and of the 1 KB JSON POST until `--requests`
requests were answered. After start-up and after each run it prints the worker's `VmRSS` and
`VmHWM` (peak) from /proc, and the errors and non-2xx answers so far.

    python bench/memory_load.py [--requests 1000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bastion, one_kb_json, upstream_nginx, wrk
from bench.pipeline_load import dump, full_policy, token


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of the process, in MiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the server's interpreter (the compiled build's: .venv-native/bin/python)",
    )
    args = parser.parse_args()
    with (
        upstream_nginx(1) as upstream,
        tempfile.TemporaryDirectory() as state,
        bastion(dump(full_policy(upstream, Path(state))), 0, python=args.python) as (port, proc),
    ):
        time.sleep(0.5)
        rss, peak = memory(proc.pid)
        print(f"after start-up: {rss:.1f} MiB", flush=True)
        headers = {"Authorization": f"Bearer {token()}"}
        answered = failed = runs = 0
        started = time.monotonic()
        while answered < args.requests:
            post = runs % 2 == 1
            result = wrk(
                f"http://127.0.0.1:{port}/orders" + ("" if post else "/1"),
                seconds=20,
                connections=32,
                core=1,
                headers=headers,
                post_body=one_kb_json() if post else None,
            )
            answered += result.requests
            failed += result.errors + result.non_2xx
            runs += 1
            rss, peak = memory(proc.pid)
            print(
                f"{answered:>10,} requests {time.monotonic() - started:5.0f} s  "
                f"VmRSS {rss:.1f} MiB  peak {peak:.1f} MiB  errors {failed}",
                flush=True,
            )
    print(f"peak {peak:.1f} MiB ({peak * 1.048576:.1f} MB) over {answered:,} requests, {failed} errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
