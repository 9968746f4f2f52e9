"""A first start with rules nobody compiled yet serves at once, and compiles each database once.

The WAF's Hyperscan databases take tens of seconds to compile on a cold cache (issue 19: start-up).
`bastion serve` does not wait for them: Python's `re` matches the same patterns meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bastion import hyperscan_db
from bastion.guards.waf.engine import WAFEngine
from bastion.guards.waf.rules import load_rules
from bastion.patterns import HYPERSCAN, Pattern, PatternSet, _expressions
from tests.servers import ROOT, ThreadedUvicorn, bastion_process, listening_port

pytestmark = pytest.mark.skipif(not HYPERSCAN, reason="the hyperscan wheel is not available on this platform")

PATTERNS = [Pattern("union", r"union\s+select", caseless=True), Pattern("dots", r"\.\./")]


@pytest.fixture
def cold_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BASTION_CACHE_DIR", str(folder))
    monkeypatch.setattr(hyperscan_db, "_MEMO", {})
    return folder


def test_a_set_compiling_in_the_background_answers_with_re_meanwhile(
    cold_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    compile_now = hyperscan_db.compile_now

    def held(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> Any:
        assert release.wait(30)
        return compile_now(expressions, flags)

    monkeypatch.setattr(hyperscan_db, "compile_now", held)
    hyperscan_db.compile_in_background()
    try:
        patterns = PatternSet(PATTERNS)
        assert patterns.backend == "python"  # the compile is held: Python's re answers
        assert {h.id for h in patterns.scan(b"q=1 UNION  select x")} == {"union"}
        assert patterns.scan_all(b"../x") is None  # callers fall back to value-by-value scans
        release.set()
        assert hyperscan_db.wait_idle(60)
    finally:
        release.set()
        hyperscan_db.compile_in_background(False)
    assert patterns.backend == "hyperscan"
    assert {h.id for h in patterns.scan(b"q=1 UNION  select x")} == {"union"}
    assert len(list(cold_cache.glob("hyperscan-*.db"))) == 1
    assert not list(cold_cache.glob("*.lock"))


COMPILER = r"""
import sys
from bastion import hyperscan_db
from bastion.patterns import Pattern, PatternSet
compiled = []
compile_now = hyperscan_db.compile_now
hyperscan_db.compile_now = lambda e, f: compiled.append(1) or compile_now(e, f)
print("ready", flush=True)
sys.stdin.readline()  # all three start together
# a bounded repeat of 2048: about a second to compile, long enough for the others to arrive
PatternSet([Pattern("line", r"(?:get|post)\s+/\S{0,2048}\s+http/\d", caseless=True)])
print(len(compiled))
"""


def test_processes_starting_together_compile_a_database_once(cold_cache: Path) -> None:
    """N workers of a first start: one compiles, the others wait for its lock and load the result."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", COMPILER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        for _ in range(3)
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"  # imported, waiting
    for proc in procs:  # then all three go at once
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.close()
    counts = [int(proc.stdout.read()) for proc in procs if proc.stdout is not None]
    assert [proc.wait(timeout=60) for proc in procs] == [0, 0, 0]
    assert sorted(counts) == [0, 0, 1]
    assert len(list(cold_cache.glob("hyperscan-*.db"))) == 1


def test_serve_on_a_cold_cache_blocks_attacks_before_its_databases_are_compiled(
    tmp_path: Path, upstream: ThreadedUvicorn
) -> None:
    cache = tmp_path / "cache"
    policy = tmp_path / "bastion.yaml"
    doc = {
        "listen": {"port": 0},
        "upstream": {"url": upstream.url},
        "routes": [{"path": "/**", "methods": ["*"]}],
        "waf": {"mode": "enforce", "paranoia": 2},
    }
    policy.write_text(yaml.safe_dump(doc))
    glance = _glance_database(cache, 2)
    with bastion_process(policy, env={"BASTION_CACHE_DIR": str(cache)}) as process:
        port = listening_port(process, timeout=60)
        attack = httpx.get(f"http://127.0.0.1:{port}/search", params={"q": "1' UNION SELECT password FROM users--"})
        benign = httpx.get(f"http://127.0.0.1:{port}/search", params={"q": "union station opening hours"})
        # the WAF's databases take far longer to compile than a start: serving did not wait for them
        compiled = glance.is_file()
    assert attack.status_code == 403
    assert benign.status_code == 200
    assert not compiled


def _glance_database(cache: Path, paranoia: int) -> Path:
    """Where the WAF's whole-request database of this paranoia level lands in the cache."""
    glance = WAFEngine(load_rules(), paranoia, force_python=True)._glance.patterns
    return cache / f"hyperscan-{hyperscan_db.key(*_expressions(glance, True))[:32]}.db"


KEYS = r"""
import sys
from bastion import hyperscan_db
from bastion.config import load_config
from bastion.engine import Engine
keys = set()
def cached(expressions, flags):
    keys.add(hyperscan_db.key(expressions, flags))  # the key each set's database is cached under
    return None
# Patched where the pattern sets call in (hyperscan_db stays Python in the compiled build too); the
# sets then match with re, as while a background compile runs: nothing is compiled.
hyperscan_db.cached = cached
hyperscan_db.later = lambda expressions, flags, ready: True
hyperscan_db.warm = lambda expressions, flags: keys.add(hyperscan_db.key(expressions, flags))
Engine(load_config(sys.argv[1]))
print("\n".join(sorted(keys)))
"""


def test_every_database_a_policy_needs_has_one_key_in_every_process(tmp_path: Path) -> None:
    """A pattern built from a set's order (which hash randomisation changes from one process to the
    next) compiled again at every start, and filled the cache with entries that evicted the WAF's."""
    env = {**os.environ, "BASTION_CACHE_DIR": str(tmp_path / "cache")}
    policy = tmp_path / "bastion.yaml"
    doc = {
        "upstream": {"url": "http://127.0.0.1:9"},
        "routes": [{"path": "/**", "methods": ["*"]}],
        "waf": {"mode": "enforce"},
        "responses": {"hide_errors": True},  # debug pages and sensitive data looked for in one scan
    }
    policy.write_text(yaml.safe_dump(doc))
    runs = [
        subprocess.run(
            [sys.executable, "-c", KEYS, str(policy)],
            env={**env, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.split()
        for seed in ("1", "2", "3")
    ]
    assert len(runs[0]) >= 4  # the WAF's sets, the response scans
    assert runs[0] == runs[1] == runs[2]
