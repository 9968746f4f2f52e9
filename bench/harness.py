"""Shared pieces of the load benchmarks: nginx configs, process start-up, wrk runs and parsing.

Everything listens on 127.0.0.1 and every run is bounded in time. On a 2-core machine the server
under test is pinned to core 0 and the load generator and upstream to core 1, so the proxies
compared in one run get the same CPU.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SMALL_JSON = '{"id":1,"name":"widget","price":9.99,"tags":["a","b"]}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def cpus() -> int:
    return len(os.sched_getaffinity(0))


def pinned(cmd: list[str], core: int | None) -> list[str]:
    if core is None or cpus() < 2 or shutil.which("taskset") is None:
        return cmd
    return ["taskset", "-c", str(core), *cmd]


def need(program: str, package: str) -> str:
    path = shutil.which(program)
    if path is None:
        sys.exit(f"{program} is needed: apt-get install {package}")
    return path


NGINX_MAIN = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
{modules}
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 1000000;
  {http}
}}
"""

UPSTREAM_SERVER = """
  server {{
    listen 127.0.0.1:{port};
    location / {{
      default_type application/json;
      if ($request_method = POST) {{ return 200 '{{"created":true}}'; }}
      return 200 '{body}';
    }}
  }}
"""

PROXY_SERVER = """
  upstream api {{ server 127.0.0.1:{upstream}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    client_body_buffer_size 64k;
    {extra}
    location / {{
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
"""


@contextlib.contextmanager
def nginx(http_block: str, core: int | None, modules: str = "") -> Iterator[subprocess.Popen[bytes]]:
    binary = need("nginx", "nginx")
    with tempfile.TemporaryDirectory(prefix="bastion-bench-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_MAIN.format(dir=tmp, http=http_block, modules=modules))
        proc = subprocess.Popen(pinned([binary, "-c", str(conf), "-p", tmp], core), stderr=subprocess.PIPE)
        try:
            yield proc
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@contextlib.contextmanager
def upstream_nginx(core: int | None) -> Iterator[int]:
    port = free_port()
    with nginx(UPSTREAM_SERVER.format(port=port, body=SMALL_JSON), core):
        wait_port(port)
        yield port


@contextlib.contextmanager
def proxy_nginx(upstream_port: int, core: int | None, extra: str = "", modules: str = "") -> Iterator[int]:
    port = free_port()
    with nginx(PROXY_SERVER.format(port=port, upstream=upstream_port, extra=extra), core, modules):
        wait_port(port)
        yield port


@contextlib.contextmanager
def bastion(
    policy_text: str, core: int | None, workers: int = 1, src: Path | None = None, python: str = sys.executable
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`bastion serve` with this policy; `src`: another revision's source tree to run instead;
    `python`: another installation's interpreter (the compiled build's venv)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(src)} if src is not None else None
    with tempfile.TemporaryDirectory(prefix="bastion-bench-") as tmp:
        policy = Path(tmp) / "bastion.yaml"
        policy.write_text(policy_text.replace("{port}", str(port)))
        # `check` compiles what the cache lacks in the foreground: `serve` would start at once and
        # match with Python's re until its background compile ends, and the run would measure that
        subprocess.run(
            [python, "-m", "bastion", "check", "--config", str(policy)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cmd = [python, "-m", "bastion", "serve", "--config", str(policy), "--workers", str(workers)]
        proc = subprocess.Popen(pinned(cmd, core), cwd=ROOT, stderr=subprocess.DEVNULL, env=env)
        try:
            wait_port(port)
            yield port, proc
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int
    raw: str = field(repr=False, default="")
    requests: int = 0
    server_cpu_us: float = 0.0  # the server's CPU time per request, when measured (robust to a busy machine)
    loop_cpu_us: float = 0.0  # of which its main thread's (the event loop's: the request thread)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = {body}
"""


def one_kb_json() -> str:
    items = ",".join(f'{{"sku":"SKU-{i:05d}","qty":{i % 7 + 1},"price":{i * 1.25:.2f}}}' for i in range(14))
    body = f'{{"customer":"c-1234","note":"leave at the door","items":[{items}]}}'
    return body + " " * max(0, 1024 - len(body))


def wrk(  # noqa: PLR0913  keyword-only: one per wrk option the benchmarks vary
    url: str,
    *,
    seconds: int,
    connections: int,
    core: int | None,
    post_body: str | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    binary = need("wrk", "wrk")
    cmd = [binary, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in (headers or {}).items():
        cmd[1:1] = ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if post_body is not None:
            script.write(POST_SCRIPT.format(body=_lua_string(post_body)))
            cmd[1:1] = ["-s", script.name]
    try:
        result = subprocess.run(pinned(cmd, core), check=True, capture_output=True, text=True, timeout=seconds + 30)
        out = result.stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    count = int(m.group(1)) if (m := re.search(r"(\d+) requests in", out)) else 0
    return WrkResult(
        rps, _ms(*p50.groups()) if p50 else 0.0, _ms(*p99.groups()) if p99 else 0.0, errors, non_2xx, out, count
    )


def measured_wrk(pid: int | None, url: str, **options: Any) -> WrkResult:
    """wrk, and the CPU time the server process tree `pid`, and its main thread, spent per request meanwhile."""
    before = cpu_seconds(pid) if pid is not None else 0.0
    loop_before = thread_cpu_seconds(pid) if pid is not None else 0.0
    result = wrk(url, **options)
    if pid is not None and result.requests:
        result.server_cpu_us = (cpu_seconds(pid) - before) / result.requests * 1e6
        result.loop_cpu_us = (thread_cpu_seconds(pid) - loop_before) / result.requests * 1e6
    return result


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def process_tree(pid: int) -> list[int]:
    """A process and its descendants (a supervisor and its workers)."""
    pids = [pid]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) in pids:
                    pids.append(int(entry))
    return pids


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process tree so far (from /proc, in clock ticks)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for child in process_tree(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def thread_cpu_seconds(pid: int) -> float:
    """CPU time of a process's main thread so far, in nanoseconds' resolution (schedstat's run time).

    A single-worker `bastion serve` runs its event loop, every guard and the proxy on that thread;
    the audit writer and the detectors run on a thread of their own."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0]) / 1e9
    return 0.0


class PeakRSS:
    """Samples the resident set of a process tree while the load runs; reports the peak in MiB."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                with contextlib.suppress(OSError, ValueError):
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total = max(total, int(line.split()[1]))  # the largest single process
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(0.1)

    def _tree(self) -> list[int]:
        return process_tree(self._pid)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024
