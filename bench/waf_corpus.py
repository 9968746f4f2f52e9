"""`make bench-waf`: replay a labelled corpus through Bastion with the WAF-only profile and score it.

Starts, on 127.0.0.1: an upstream that answers 200 to anything (nginx when installed, else a small
Python server), then `bastion serve` with examples/waf-only.yaml (every path and method allowed,
no authentication, no schema: only the WAF decides), then runs the corpus's own replay.py against it
and prints detection and false-positive rates per category.

    python bench/waf_corpus.py --corpus ../shared/corpus/dev.jsonl [--paranoia 1] [--out results.json]

Any corpus in the same JSON-lines format works; extra arguments after `--` go to replay.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, free_port, upstream_nginx, wait_port


class _Ok(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        body = b'{"ok":true}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer

    def log_message(self, *args: object) -> None:
        return None


@contextlib.contextmanager
def upstream() -> Iterator[int]:
    if shutil.which("nginx"):
        with upstream_nginx(None) as port:
            yield port
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/dev.jsonl")
    parser.add_argument("--replay", type=Path, help="replay.py (default: beside the corpus)")
    parser.add_argument("--policy", type=Path, default=ROOT / "examples/waf-only.yaml")
    parser.add_argument("--paranoia", type=int, help="override waf.paranoia")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/waf-results.json")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    replay = args.replay or args.corpus.parent / "replay.py"
    if not args.corpus.is_file() or not replay.is_file():
        sys.exit(f"need the corpus and its replay.py: {args.corpus}, {replay}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with upstream() as upstream_port, tempfile.TemporaryDirectory(prefix="bastion-waf-") as tmp:
        cmd = [
            sys.executable,
            "-m",
            "bastion",
            "serve",
            "--config",
            str(args.policy),
            "--port",
            str(port),
            "--upstream",
            f"http://127.0.0.1:{upstream_port}",
        ]
        env = None
        if args.paranoia is not None:
            env = {**os.environ, "BASTION_WAF_PARANOIA": str(args.paranoia)}
        # compiles the databases the cache lacks now, so the replay meets the Hyperscan matcher
        subprocess.run(
            [sys.executable, "-m", "bastion", "check", "--config", str(args.policy)], cwd=ROOT, env=env, check=True
        )
        log = Path(tmp) / "bastion.log"
        with log.open("wb") as sink:
            gateway = subprocess.Popen(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, env=env)
            try:
                wait_port(port)
                result = subprocess.run(
                    [
                        sys.executable,
                        str(replay),
                        "--base",
                        f"http://127.0.0.1:{port}",
                        "--corpus",
                        str(args.corpus),
                        "--out",
                        str(args.out),
                        *extra,
                    ],
                    check=False,
                )
            finally:
                gateway.terminate()
                gateway.wait(timeout=20)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
