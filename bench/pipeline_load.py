"""The whole gateway under load with every guard on, and what each guard costs (`make bench-pipeline`).

One run, one machine: Bastion (one worker, pinned to core 0) with the full policy of bench/pipeline/
(JWT HS256, an authz rule with a `where`, OpenAPI validation of a 1 KB JSON order, a per-subject rate
limit, the WAF, response filtering against the response schema, the audit trail to SQLite and the
default detectors), then the same policy with one guard switched off at a time, the WAF-only
profile and the no-guard profile; nginx as a plain reverse proxy and nginx + ModSecurity + OWASP CRS
(paranoia 1) in front of the same nginx upstream. wrk (core 1) drives a GET and a 1 KB JSON POST.
A guard's cost is the difference in the server's CPU time per request (user + system time of the
Bastion process, read from /proc, over wrk's request count) between the full policy and the policy
without it: unlike 1/req/s it does not move when another process takes the core for a while.

It also measures the latency Bastion adds in front of an upstream that writes a response's head and
body in two writes without TCP_NODELAY (as Werkzeug/Flask do), where a delayed ACK would stall each
response by ~40 ms.

Writes bench/results/pipeline_load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from joserfc import jwt
from joserfc.jwk import OctKey

from bench.extauthz_load import modsecurity_nginx
from bench.harness import (
    ROOT,
    PeakRSS,
    WrkResult,
    bastion,
    cpus,
    free_port,
    measured_wrk,
    one_kb_json,
    proxy_nginx,
    upstream_nginx,
    wait_port,
    wrk,
)

HERE = Path(__file__).resolve().parent / "pipeline"
JWT_SECRET = "bench-jwt-secret-0123456789abcdef-0123456789"
SECRET = "bench-bastion-secret-0123456789abcdef-012345"


def token() -> str:
    claims = {"iss": "bench", "sub": "1", "roles": ["user"], "exp": int(time.time()) + 86400}
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(JWT_SECRET.encode()))


def full_policy(upstream: int, state: Path) -> dict[str, Any]:
    text = (HERE / "policy.yaml").read_text()
    text = text.replace("${BENCH_SECRET}", SECRET).replace("${BENCH_JWT_SECRET}", JWT_SECRET)
    text = text.replace("${BENCH_DIR}", str(state))
    doc: dict[str, Any] = yaml.safe_load(text)
    doc["listen"]["port"] = "{port}"
    doc["upstream"]["url"] = f"http://127.0.0.1:{upstream}"
    doc["openapi"] = str(HERE / "openapi.yaml")
    return doc


def without(doc: dict[str, Any], *sections: str) -> dict[str, Any]:
    changed = dict(doc)
    for section in sections:
        if section == "responses":
            changed["responses"] = {"mode": "off"}
        elif section in ("validation", "waf", "audit"):
            changed[section] = None
        else:
            changed.pop(section, None)
    return changed


def no_guards(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "listen": doc["listen"],
        "upstream": doc["upstream"],
        "routes": [{"path": "/**", "methods": ["*"]}],
        "store": doc["store"],
        "waf": None,
        "audit": None,
        "log": {"level": "warning"},
    }


def waf_only(doc: dict[str, Any]) -> dict[str, Any]:
    only: dict[str, Any] = yaml.safe_load(
        (ROOT / "examples/waf-only.yaml").read_text().replace("${BASTION_WAF_PARANOIA:-1}", "1")
    )
    only["listen"]["port"] = "{port}"
    only["upstream"] = doc["upstream"]
    only["store"] = doc["store"]
    return only


def dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc).replace("'{port}'", "{port}")


def run_pair(
    port: int, args: argparse.Namespace, core: int | None, headers: dict[str, str], pid: int | None = None
) -> dict[str, WrkResult]:
    base = f"http://127.0.0.1:{port}"
    options: dict[str, Any] = {"seconds": args.seconds, "connections": args.connections, "core": core}
    wrk(f"{base}/orders/1", **{**options, "seconds": 2}, headers=headers)  # warm-up
    return {
        "GET": measured_wrk(pid, f"{base}/orders/1", **options, headers=headers),
        "POST 1KB": measured_wrk(pid, f"{base}/orders", **options, headers=headers, post_body=one_kb_json()),
    }


# -- an upstream that writes head and body apart, without TCP_NODELAY (Werkzeug's way) ---------------

TWO_WRITES = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b'{"id": 1, "name": "widget", "price": 9.99, "tags": ["a"]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()          # the head leaves in its own write
        self.wfile.write(body)      # then the body, Nagle on, no TCP_NODELAY
    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def latency(port: int, path: str, headers: dict[str, str], count: int) -> float:
    """Median milliseconds of sequential keep-alive GETs on one connection, from a client that
    acknowledges at once (TCP_QUICKACK), so only a stall in the server path shows."""
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n{lines}\r\n".encode()
    samples = []
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(count):
            started = time.perf_counter()
            sock.sendall(request)
            received = b""
            while True:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
                received += sock.recv(65536)
                head, sep, body = received.partition(b"\r\n\r\n")
                if sep:
                    length = next(
                        (
                            int(line.split(b":")[1])
                            for line in head.split(b"\r\n")
                            if line.lower().startswith(b"content-length:")
                        ),
                        0,
                    )
                    if len(body) >= length:
                        break
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[5:])


def two_write_latency(doc: dict[str, Any], core: int | None, headers: dict[str, str]) -> dict[str, float]:
    port = free_port()
    upstream = subprocess.Popen([sys.executable, "-c", TWO_WRITES, str(port)])
    try:
        wait_port(port)
        direct = latency(port, "/orders/1", {}, 60)
        policy = dict(doc, upstream={"url": f"http://127.0.0.1:{port}", "pool_size": 8})
        with bastion(dump(policy), core) as (bastion_port, _):
            through = latency(bastion_port, "/orders/1", headers, 60)
    finally:
        upstream.terminate()
        upstream.wait(timeout=10)
    return {"direct_ms": direct, "bastion_ms": through, "added_ms": through - direct}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--quick", action="store_true", help="full policy, no guards and nginx only")
    parser.add_argument(
        "--compiled",
        metavar="PYTHON",
        help="also run every profile (the full policy, each guard off, WAF only, no guards) on this interpreter "
        "(the compiled build's, `make native`: .venv-native/bin/python), in the same run",
    )
    args = parser.parse_args()
    server_core, load_core = (0, 1) if cpus() >= 2 else (None, None)
    auth = {"Authorization": f"Bearer {token()}"}
    results: dict[str, dict[str, WrkResult]] = {}
    rss: dict[str, float] = {}
    started_load = os.getloadavg()[0]
    with upstream_nginx(load_core) as upstream, tempfile.TemporaryDirectory(prefix="bastion-pipeline-") as tmp:
        full = full_policy(upstream, Path(tmp))
        profiles: dict[str, dict[str, Any]] = {"full policy": full}
        if not args.quick:
            profiles.update(
                {
                    "- waf": without(full, "waf"),
                    "- audit + detectors": without(full, "audit", "detect"),
                    "- ratelimit": without(full, "ratelimit"),
                    "- authz": without(full, "authz"),
                    "- validation": without(full, "validation"),
                    "- response filter": without(full, "responses"),
                    "- authn + authz": without(full, "authn", "authz"),
                    "WAF only": waf_only(full),
                }
            )
        profiles["no guards"] = no_guards(full)
        runs = [(name, doc, sys.executable) for name, doc in profiles.items()]
        if args.compiled:
            runs += [(f"{name}, compiled", doc, args.compiled) for name, doc in profiles.items()]
        for name, doc, python in runs:
            headers = auth if "authn" in doc else {}
            with bastion(dump(doc), server_core, python=python) as (port, proc), PeakRSS(proc.pid) as peak:
                results[name] = run_pair(port, args, load_core, headers, proc.pid)
            rss[name] = peak.peak_mib
            get, post = results[name]["GET"], results[name]["POST 1KB"]
            print(f"{name:22} GET {get.requests_per_second:9,.0f} ({get.server_cpu_us:5.0f} µs CPU)  "
                  f"POST {post.requests_per_second:9,.0f} ({post.server_cpu_us:5.0f} µs CPU)", flush=True)  # fmt: skip
        with proxy_nginx(upstream, server_core) as port:
            results["nginx (plain proxy)"] = run_pair(port, args, load_core, {})
        try:
            with modsecurity_nginx(upstream, server_core) as port:
                results["nginx + ModSecurity + CRS PL1"] = run_pair(port, args, load_core, {})
        except SystemExit as missing:
            print(f"skipping ModSecurity + CRS: {missing}")
        stall = two_write_latency(full, server_core, auth)
    ended_load = os.getloadavg()[0]
    report(results, rss, stall, args, (started_load, ended_load))
    return 0


def report(
    results: dict[str, dict[str, WrkResult]],
    rss: dict[str, float],
    stall: dict[str, float],
    args: argparse.Namespace,
    load: tuple[float, float],
) -> None:
    nginx = results["nginx (plain proxy)"]
    full = results["full policy"]
    print(f"\n{args.connections} connections, {args.seconds}s per run, servers pinned to core 0; "
          f"load average {load[0]:.2f} before, {load[1]:.2f} after\n")  # fmt: skip
    print(f"{'profile':32} {'GET req/s':>10} {'p99 ms':>7} {'POST req/s':>11} {'p99 ms':>7} {'vs nginx':>16}")
    for name, pair in results.items():
        get, post = pair["GET"], pair["POST 1KB"]
        ratio = f"{get.requests_per_second / nginx['GET'].requests_per_second:.3f} / " \
                f"{post.requests_per_second / nginx['POST 1KB'].requests_per_second:.3f}"  # fmt: skip
        errors = " errors!" if get.errors or post.errors or get.non_2xx or post.non_2xx else ""
        print(f"{name:32} {get.requests_per_second:10,.0f} {get.p99_ms:7.2f} {post.requests_per_second:11,.0f} "
              f"{post.p99_ms:7.2f} {ratio:>16}{errors}")  # fmt: skip
    print("\nµs of server CPU per request a guard costs (full policy minus the policy without it; CPU time of")
    print("the Bastion process per request, which a busy machine disturbs far less than req/s), and of that")
    print("the request thread's (the event loop's; the audit writer and the detectors have a thread of their own):")
    for build in ("", ", compiled"):
        if f"full policy{build}" not in results:
            continue
        base = results[f"full policy{build}"]
        print(f"\n{'guard' + build:28} {'GET':>8} {'POST':>8} {'request thread GET':>19} {'POST':>8}")
        for name, pair in results.items():
            if not (name.startswith("- ") and name.endswith(build) and (build or not name.endswith(", compiled"))):
                continue
            kinds = ("GET", "POST 1KB")
            costs = [base[kind].server_cpu_us - pair[kind].server_cpu_us for kind in kinds]
            loop = [base[kind].loop_cpu_us - pair[kind].loop_cpu_us for kind in kinds]
            print(f"{name[2:]:28} {costs[0]:8.1f} {costs[1]:8.1f} {loop[0]:19.1f} {loop[1]:8.1f}")
    for name in ("full policy", "WAF only", "no guards", "full policy, compiled", "WAF only, compiled",
                 "no guards, compiled"):  # fmt: skip
        if name in results:
            get, post = results[name]["GET"], results[name]["POST 1KB"]
            print(f"{name:28} {get.server_cpu_us:8.1f} {post.server_cpu_us:8.1f} {get.loop_cpu_us:19.1f} "
                  f"{post.loop_cpu_us:8.1f}  (whole request)")  # fmt: skip
    per_get, per_post = 1e6 / full["GET"].requests_per_second, 1e6 / full["POST 1KB"].requests_per_second
    print(f"\nfull policy: {per_get:.0f} µs per GET, {per_post:.0f} µs per POST; peak RSS {rss['full policy']:.0f} MiB")
    if "full policy, compiled" in results:
        compiled = results["full policy, compiled"]
        print(f"full policy, compiled: {1e6 / compiled['GET'].requests_per_second:.0f} µs per GET, "
              f"{1e6 / compiled['POST 1KB'].requests_per_second:.0f} µs per POST; "
              f"peak RSS {rss['full policy, compiled']:.0f} MiB")  # fmt: skip
    print(f"head and body written apart by the upstream: direct p50 {stall['direct_ms']:.2f} ms, through Bastion "
          f"{stall['bastion_ms']:.2f} ms (+{stall['added_ms']:.2f} ms)")  # fmt: skip
    out = ROOT / "bench/results/pipeline_load.json"
    out.parent.mkdir(exist_ok=True)
    rows = {
        name: {kind: {key: value for key, value in vars(r).items() if key != "raw"} for kind, r in pair.items()}
        for name, pair in results.items()
    }
    document = {"load_average": load, "rss_mib": rss, "two_writes": stall, "results": rows}
    out.write_text(json.dumps(document, indent=2))


if __name__ == "__main__":
    raise SystemExit(main())
