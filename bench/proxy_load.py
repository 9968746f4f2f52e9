"""Load benchmark of the reverse proxy against plain nginx in the same run (`make bench`).

A fast upstream (nginx answering a small JSON document) runs on loopback; Bastion (one worker, the
default profile of a policy with only a route: ingress, WAF, audit, response hygiene) and, when
installed, nginx as a plain reverse proxy sit in front of it. wrk drives each with a GET and a 1 KB
JSON POST. Prints req/s, p50/p99 latency, Bastion's peak RSS and the ratio Bastion/nginx; writes
bench/results/proxy_load.json.

`--base REV` (`make bench BASE=REV`) also runs the same profile on another revision's source (a
temporary git worktree), alternating rounds of the two so that a busy machine weighs on both alike,
and prints this tree's throughput as a ratio of the base's: the before/after figure for a change.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    ROOT,
    PeakRSS,
    WrkResult,
    bastion,
    cpus,
    one_kb_json,
    proxy_nginx,
    upstream_nginx,
    wrk,
)

PROXY_ONLY = """
listen: {host: 127.0.0.1, port: {port}}
upstream: {url: "http://127.0.0.1:UPSTREAM", pool_size: 64}
routes: [{path: "/**", methods: ["*"]}]
log: {level: warning}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--policy", type=Path, help="a policy to benchmark instead of the proxy-only profile")
    parser.add_argument("--base", help="a git revision to compare with, in the same run")
    parser.add_argument("--head", help="with --base: the revision to compare instead of this tree")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per revision with --base")
    args = parser.parse_args()
    if args.base:
        return compare(args)

    server_core, load_core = (0, 1) if cpus() >= 2 else (None, None)
    body = one_kb_json()
    results: dict[str, dict[str, WrkResult]] = {}
    peak: dict[str, float] = {}
    with upstream_nginx(load_core) as upstream_port:
        policy = (args.policy.read_text() if args.policy else PROXY_ONLY).replace("UPSTREAM", str(upstream_port))
        with bastion(policy, server_core) as (port, proc), PeakRSS(proc.pid) as rss:
            url = f"http://127.0.0.1:{port}/items/1"
            wrk(url, seconds=2, connections=args.connections, core=load_core)  # warm-up
            results["bastion"] = {
                "GET": wrk(url, seconds=args.seconds, connections=args.connections, core=load_core),
                "POST 1KB": wrk(
                    url, seconds=args.seconds, connections=args.connections, core=load_core, post_body=body
                ),
            }
        peak["bastion"] = rss.peak_mib
        if shutil.which("nginx"):
            with proxy_nginx(upstream_port, server_core) as port:
                url = f"http://127.0.0.1:{port}/items/1"
                wrk(url, seconds=2, connections=args.connections, core=load_core)
                results["nginx"] = {
                    "GET": wrk(url, seconds=args.seconds, connections=args.connections, core=load_core),
                    "POST 1KB": wrk(
                        url, seconds=args.seconds, connections=args.connections, core=load_core, post_body=body
                    ),
                }

    print(f"\n{args.connections} connections, {args.seconds}s per run, server pinned to core {server_core}\n")
    print(f"{'server':<10} {'request':<9} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for server, runs in results.items():
        for name, r in runs.items():
            print(
                f"{server:<10} {name:<9} {r.requests_per_second:>10,.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} "
                f"{r.errors + r.non_2xx:>7}"
            )
    print(f"\nBastion peak RSS (one worker): {peak['bastion']:.1f} MiB")
    if "nginx" in results:
        for name in ("GET", "POST 1KB"):
            ratio = results["bastion"][name].requests_per_second / results["nginx"][name].requests_per_second
            print(f"Bastion/nginx {name}: {ratio:.1%}")
    out = ROOT / "bench/results"
    out.mkdir(parents=True, exist_ok=True)
    doc = {
        server: {name: {k: v for k, v in vars(r).items() if k != "raw"} for name, r in runs.items()}
        for server, runs in results.items()
    }
    doc["bastion_peak_rss_mib"] = peak["bastion"]  # type: ignore[assignment]
    (out / "proxy_load.json").write_text(json.dumps(doc, indent=2))
    return 0


def drive(port: int, args: argparse.Namespace, core: int | None) -> dict[str, float]:
    url = f"http://127.0.0.1:{port}/items/1"
    wrk(url, seconds=2, connections=args.connections, core=core)  # warm-up
    return {
        "GET": wrk(url, seconds=args.seconds, connections=args.connections, core=core).requests_per_second,
        "POST 1KB": wrk(
            url, seconds=args.seconds, connections=args.connections, core=core, post_body=one_kb_json()
        ).requests_per_second,
    }


def compare(args: argparse.Namespace) -> int:
    """This tree (or `args.head`) against `args.base`, in alternating rounds (the order flips each
    round, so a machine that slows down weighs on both alike); medians of req/s per revision."""
    server_core, load_core = (0, 1) if cpus() >= 2 else (None, None)
    runs: dict[str, dict[str, list[float]]] = {"base": {"GET": [], "POST 1KB": []}, "this": {"GET": [], "POST 1KB": []}}
    head = args.head[:12] if args.head else "this tree"
    with tempfile.TemporaryDirectory(prefix="bastion-base-") as tmp, upstream_nginx(load_core) as upstream_port:
        revisions = {"base": args.base, **({"this": args.head} if args.head else {})}
        trees = {name: Path(tmp) / name for name in revisions}
        for name, revision in revisions.items():
            subprocess.run(["git", "worktree", "add", "--detach", str(trees[name]), revision], cwd=ROOT, check=True,
                           capture_output=True)  # fmt: skip
        try:
            policy = (args.policy.read_text() if args.policy else PROXY_ONLY).replace("UPSTREAM", str(upstream_port))
            sources = {"base": trees["base"] / "src", "this": trees["this"] / "src" if "this" in trees else None}
            for round_ in range(args.rounds):
                order = ["base", "this"] if round_ % 2 == 0 else ["this", "base"]
                for name in order:
                    with bastion(policy, server_core, src=sources[name]) as (port, _):
                        got = drive(port, args, load_core)
                    for kind, rps in got.items():
                        runs[name][kind].append(rps)
                    print(
                        f"round {round_ + 1} {name:4}: GET {got['GET']:9,.0f}  POST {got['POST 1KB']:9,.0f}", flush=True
                    )
        finally:
            for tree in trees.values():
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    print(f"\nmedian req/s over {args.rounds} alternating rounds ({args.connections} connections, {args.seconds}s)")
    for kind in ("GET", "POST 1KB"):
        base, this = statistics.median(runs["base"][kind]), statistics.median(runs["this"][kind])
        print(f"{kind:9} base {args.base[:12]} {base:9,.0f}   {head} {this:9,.0f}   ratio {this / base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
