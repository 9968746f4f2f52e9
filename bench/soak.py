"""Soak campaign (`make soak`): the full policy at half its measured peak throughput for 30 minutes.

Starts nginx as the upstream (core 1) and `bastion serve` (one worker, core 0) with the full policy:
RS256 JWT authentication, an authorization rule, validation against an OpenAPI description, a rate
limit (high enough not to refuse), the WAF, the audit trail (SQLite and JSON lines), the default
detectors and the admin listener. It measures the peak with wrk (32 connections, 10 s), then drives
half of it with wrk in consecutive 10-second windows (16 connections, a per-request delay adjusted
after each window to hold the rate). After each window it samples Bastion's RSS and open file
descriptors (/proc), the audit queue depth (`bastion_audit_queue_depth` from /metrics) and the
window's p99 and rate (wrk), into a CSV; at the end it draws the PNG and prints whether each series
stayed flat (last five minutes against the first five after warm-up).

    python bench/soak.py --minutes 30 --csv bench/results/soak.csv --png docs/img/soak.png
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.extauthz_policy import KEY, token
from bench.harness import ROOT, bastion, cpus, free_port, need, pinned, upstream_nginx, wrk

POLICY = """
listen: {{host: 127.0.0.1, port: {{port}}}}
upstream: {{url: "http://127.0.0.1:{upstream}", pool_size: 64}}
openapi: {spec}
store: {{path: {dir}/bastion.db}}
secrets: {{key: "soak-campaign-secret-key-0123456789abcdef"}}
authn:
  methods:
    - jwt: {{issuer: "https://id.bench", audience: api, algorithms: [RS256], keys: ["{pem}"], claims: {{roles: roles}}}}
authz:
  rules: [{{allow: [getItem], roles: [reader]}}]
validation: {{mode: enforce}}
ratelimit:
  limits: [{{id: per-subject, key: [subject], rate: 1000000/s, burst: 1000000}}]
waf: {{mode: enforce}}
audit: {{sinks: [sqlite, jsonl], jsonl: {{path: {dir}/audit.jsonl}}}}
detect: {{}}
admin: {{host: 127.0.0.1, port: {admin}}}
log: {{level: warning}}
"""

DELAY_SCRIPT = """
local delay_ms = {delay}
function delay() return delay_ms end
"""

FIELDS = ["elapsed_s", "rps", "p99_ms", "non_2xx", "errors", "rss_mib", "open_fds", "audit_queue", "load1"]


def metric(admin_port: int, name: str) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/metrics", timeout=5) as response:
        text = response.read().decode()
    found = re.search(rf"^{name} ([\d.e+-]+)$", text, re.M)
    return float(found.group(1)) if found else -1.0


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def paced_window(url: str, headers: dict[str, str], seconds: int, connections: int, delay_ms: float, core: int | None):  # type: ignore[no-untyped-def]  # noqa: PLR0913  one wrk window: target, pacing and the core it is pinned to
    """One window of wrk with a per-request delay on each connection: (rps, p99 ms, non-2xx, errors)."""
    binary = need("wrk", "wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(DELAY_SCRIPT.format(delay=max(0, int(delay_ms))))
    cmd = [binary, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url]
    for name, value in headers.items():
        cmd[1:1] = ["-H", f"{name}: {value}"]
    try:
        out = subprocess.run(pinned(cmd, core), check=True, capture_output=True, text=True, timeout=seconds + 30).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)] if p99 else 0.0
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rps, p99_ms, non_2xx, errors


def flat(rows: list[dict[str, float]], field: str) -> tuple[float, float]:
    """Median of the first five minutes after a minute of warm-up, and of the last five minutes."""
    early = [r[field] for r in rows if 60 <= r["elapsed_s"] < 360] or [rows[0][field]]
    late = [r[field] for r in rows if r["elapsed_s"] >= rows[-1]["elapsed_s"] - 300] or [rows[-1][field]]
    return statistics.median(early), statistics.median(late)


def plot(rows: list[dict[str, float]], png: Path, title: str) -> None:
    import matplotlib  # noqa: PLC0415  optional: matplotlib only when a plot is asked for (--png)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415  pyplot after matplotlib.use("Agg"): no display on a benchmark host

    minutes = [r["elapsed_s"] / 60 for r in rows]
    series = [
        ("rss_mib", "RSS (MiB)"),
        ("open_fds", "open fds"),
        ("audit_queue", "audit queue"),
        ("p99_ms", "p99 (ms)"),
    ]
    fig, axes = plt.subplots(len(series) + 1, 1, figsize=(9, 11), sharex=True)
    for axis, (field, label) in zip(axes, series, strict=False):
        values = [r[field] for r in rows]
        axis.plot(minutes, values, linewidth=1)
        axis.set_ylabel(label)
        axis.set_ylim(0, max(values, default=1) * 1.15 or 1)  # a flat series stays visible under the frame
        axis.grid(alpha=0.3)
    axes[-1].plot(minutes, [r["rps"] for r in rows], linewidth=1, label="req/s")
    axes[-1].set_ylabel("req/s")
    axes[-1].set_ylim(bottom=0)
    axes[-1].set_xlabel("minutes")
    axes[-1].grid(alpha=0.3)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=90)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--interval", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--csv", type=Path, default=ROOT / "bench/results/soak.csv")
    parser.add_argument("--png", type=Path, default=ROOT / "bench/results/soak.png")
    args = parser.parse_args()

    server_core, load_core = (0, 1) if cpus() >= 2 else (None, None)
    headers = {"Authorization": f"Bearer {token()}"}
    admin = free_port()
    load_start = os.getloadavg()
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bastion-soak-") as tmp, upstream_nginx(load_core) as upstream:
        pem = Path(tmp) / "idp.pem"
        pem.write_bytes(KEY.as_pem(private=False))
        policy = POLICY.format(upstream=upstream, spec=ROOT / "bench/soak_api.yaml", dir=tmp, pem=pem, admin=admin)
        with bastion(policy, server_core) as (port, proc):
            url = f"http://127.0.0.1:{port}/items/7?q=widget"
            wrk(url, seconds=3, connections=32, core=load_core, headers=headers)  # warm-up
            peak = wrk(url, seconds=10, connections=32, core=load_core, headers=headers)
            target = peak.requests_per_second / 2
            print(
                f"peak {peak.requests_per_second:,.0f} req/s (p99 {peak.p99_ms:.2f} ms, "
                f"non-2xx {peak.non_2xx}); soak at {target:,.0f}"
            )
            delay = args.connections * 1000 / target
            started = time.monotonic()
            while time.monotonic() - started < args.minutes * 60:
                rps, p99, non_2xx, errors = paced_window(
                    url, headers, args.interval, args.connections, delay, load_core
                )
                if rps > 0:  # hold the rate: the delay scales with how far the window was from it
                    delay = max(0.0, delay * (rps / target) ** 0.5)
                row = {
                    "elapsed_s": round(time.monotonic() - started, 1),
                    "rps": round(rps, 1),
                    "p99_ms": p99,
                    "non_2xx": non_2xx,
                    "errors": errors,
                    "rss_mib": round(rss_mib(proc.pid), 1),
                    "open_fds": len(os.listdir(f"/proc/{proc.pid}/fd")),
                    "audit_queue": metric(admin, "bastion_audit_queue_depth"),
                    "load1": round(os.getloadavg()[0], 2),
                }
                rows.append(row)
                print(", ".join(f"{k} {v}" for k, v in row.items()), flush=True)
            assert proc.poll() is None, "bastion exited during the soak"
    load_end = os.getloadavg()
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with args.csv.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    title = (
        f"bastion soak: full policy at {target:,.0f} req/s (half of the {peak.requests_per_second:,.0f} peak), "
        f"{args.minutes:g} min; load average {load_start[0]:.1f} -> {load_end[0]:.1f} (2 shared cores)"
    )
    plot(rows, args.png, title)
    print(title)
    print(f"non-2xx {sum(r['non_2xx'] for r in rows):,.0f}, socket errors {sum(r['errors'] for r in rows):,.0f}")
    for field in ("rss_mib", "open_fds", "audit_queue", "p99_ms", "rps"):
        first, last = flat(rows, field)
        print(f"{field}: {first:.2f} after warm-up -> {last:.2f} at the end (max {max(r[field] for r in rows):.2f})")
    print(f"wrote {args.csv} and {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
