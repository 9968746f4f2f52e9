"""nginx + Bastion (ext-authz) against nginx + ModSecurity + OWASP CRS (PL1), same upstream, same requests.

Both front ends get the same CPU: nginx (one worker) and, for the first, Bastion's decision service
(one worker) are pinned to core 0; the upstream (nginx answering a small JSON document) and wrk to
core 1. Each request is a GET with a query string and a JWT (RS256): Bastion checks the token, a role
rule and the WAF; ModSecurity runs the CRS at paranoia level 1 on the same request. Prints req/s,
latency, the ratio, and Bastion's CPU per decision (its CPU time over the run / decisions made);
writes bench/results/extauthz_load.json. Needs nginx, libnginx-mod-http-modsecurity, modsecurity-crs, wrk.

Target (issue 11): nginx + Bastion >= 4x nginx + ModSecurity + CRS; Bastion CPU < 150 us per decision.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.extauthz_policy import policy_text, token
from bench.harness import ROOT, WrkResult, bastion, cpu_seconds, cpus, free_port, nginx, upstream_nginx, wait_port, wrk

MODSECURITY_MODULE = "/usr/lib/nginx/modules/ngx_http_modsecurity_module.so"
CRS_SETUP = "/etc/modsecurity/crs/crs-setup.conf"
CRS_RULES = "/usr/share/modsecurity-crs/rules"

AUTH_REQUEST_SERVER = """
  upstream api {{ server 127.0.0.1:{upstream}; keepalive 64; }}
  upstream bastion {{ server 127.0.0.1:{bastion}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      auth_request /_bastion/authz;
      auth_request_set $bastion_subject $upstream_http_x_bastion_subject;
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Bastion-Subject $bastion_subject;
    }}
    location = /_bastion/authz {{
      internal;
      proxy_pass http://bastion;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
  }}
"""

MODSECURITY_SERVER = """
  upstream api {{ server 127.0.0.1:{upstream}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    modsecurity on;
    modsecurity_rules_file {rules};
    location / {{
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
"""

MODSECURITY_MAIN = """
SecRuleEngine On
SecRequestBodyAccess On
SecRequestBodyLimit 1048576
SecResponseBodyAccess Off
SecAuditEngine Off
SecDebugLogLevel 0
SecTmpDir {dir}
SecDataDir {dir}
Include {setup}
Include {rules}/*.conf
"""


@contextlib.contextmanager
def modsecurity_nginx(upstream: int, core: int | None) -> Iterator[int]:
    for path in (MODSECURITY_MODULE, CRS_SETUP, CRS_RULES):
        if not Path(path).exists():
            sys.exit(f"{path} is missing: apt-get install libnginx-mod-http-modsecurity modsecurity-crs")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bastion-bench-modsec-") as tmp:
        rules = Path(tmp) / "modsecurity.conf"
        rules.write_text(MODSECURITY_MAIN.format(dir=tmp, setup=CRS_SETUP, rules=CRS_RULES))
        block = MODSECURITY_SERVER.format(upstream=upstream, port=port, rules=rules)
        with nginx(block, core, modules=f"load_module {MODSECURITY_MODULE};"):
            wait_port(port)
            yield port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    server_core, load_core = (0, 1) if cpus() >= 2 else (None, None)
    headers = {"Authorization": f"Bearer {token()}", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0"}
    path = "/items/1234?fields=name,price&currency=EUR"
    results: dict[str, WrkResult] = {}
    cpu_per_decision = 0.0

    def run(url: str) -> WrkResult:
        wrk(url, seconds=2, connections=args.connections, core=load_core, headers=headers)  # warm-up
        return wrk(url, seconds=args.seconds, connections=args.connections, core=load_core, headers=headers)

    with upstream_nginx(load_core) as upstream_port, tempfile.TemporaryDirectory(prefix="bastion-bench-") as tmp:
        with bastion(policy_text(Path(tmp), "{port}"), server_core) as (bastion_port, proc):
            port = free_port()
            block = AUTH_REQUEST_SERVER.format(upstream=upstream_port, bastion=bastion_port, port=port)
            with nginx(block, server_core):
                wait_port(port)
                url = f"http://127.0.0.1:{port}{path}"
                wrk(url, seconds=2, connections=args.connections, core=load_core, headers=headers)
                before = cpu_seconds(proc.pid)
                results["nginx + Bastion ext-authz"] = result = wrk(
                    url, seconds=args.seconds, connections=args.connections, core=load_core, headers=headers
                )
                spent = cpu_seconds(proc.pid) - before
                cpu_per_decision = spent / max(1.0, result.requests_per_second * args.seconds) * 1e6
        with modsecurity_nginx(upstream_port, server_core) as port:
            results["nginx + ModSecurity + CRS PL1"] = run(f"http://127.0.0.1:{port}{path}")

    print(f"\nGET {path} with a JWT, {args.connections} connections, {args.seconds}s per run, front ends on core 0\n")
    print(f"{'front end':<32} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:<32} {r.requests_per_second:>10,.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.errors + r.non_2xx:>7}")
    names = list(results)
    ratio = results[names[0]].requests_per_second / results[names[1]].requests_per_second
    print(f"\nnginx + Bastion / nginx + ModSecurity: {ratio:.2f}x (target >= 4x)")
    print(f"Bastion CPU per decision (HTTP included): {cpu_per_decision:.0f} us (target < 150 us)")
    out = ROOT / "bench/results"
    out.mkdir(parents=True, exist_ok=True)
    doc = {name: {k: v for k, v in vars(r).items() if k != "raw"} for name, r in results.items()}
    doc["ratio"] = ratio  # type: ignore[assignment]
    doc["bastion_cpu_us_per_decision"] = cpu_per_decision  # type: ignore[assignment]
    (out / "extauthz_load.json").write_text(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
