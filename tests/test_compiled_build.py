"""The compiled build (setup.py, `make native`) runs the code in this tree, never a stale copy of it.

The suite runs twice in CI: on the plain-Python development install, and with BASTION_EXPECT_COMPILED=1
on the wheel mypyc built (`make test-native`). These tests make each run prove which one it tested.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import os
import subprocess
import sys
import tomllib
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import bastion

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "bastion"
MODULES: list[str] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["bastion"]["compile"]["modules"]
EXPECT_COMPILED = os.environ.get("BASTION_EXPECT_COMPILED") == "1"


def _module_name(path: str) -> str:
    return "bastion." + path.removesuffix(".py").replace("/", ".")


def test_every_listed_module_exists() -> None:
    missing = [m for m in MODULES if not (SRC / m).is_file()]
    assert not missing, f"[tool.bastion.compile] lists modules that are not in src/bastion: {missing}"


@pytest.mark.parametrize("path", MODULES)
def test_a_compiled_module_does_not_rely_on_what_mypyc_changes(path: str) -> None:
    """mypyc compiles classes without an instance __dict__: functools.cached_property then computes on
    every access instead of once (found on the WAF's flood pattern sets), and vars() raises."""
    tree = ast.parse((SRC / path).read_text())
    found = [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "cached_property")
        or (isinstance(node, ast.Name) and node.id in {"cached_property", "vars"})
        or (isinstance(node, ast.Attribute) and node.attr == "__dict__")
    ]
    assert not found, f"{path} is compiled by mypyc but uses {found}"


def test_the_source_tree_holds_no_compiled_module() -> None:
    """An extension built in place (setup.py build_ext --inplace) would shadow its .py: an edit would
    silently not run. The compiled build goes to a wheel instead."""
    stale = [str(p.relative_to(ROOT)) for suffix in EXTENSION_SUFFIXES for p in SRC.rglob(f"*{suffix}")]
    assert not stale, f"compiled modules in the source tree shadow their sources; delete them: {stale}"


@pytest.mark.skipif(EXPECT_COMPILED, reason="this run tests the compiled build")
def test_a_plain_run_tests_the_sources_in_this_tree() -> None:
    assert Path(bastion.__file__).resolve().parent == SRC


def test_bastion_version_names_the_build_it_runs() -> None:
    """An operator checking a deployment sees which build serves (they differ in speed only)."""
    result = subprocess.run([sys.executable, "-m", "bastion", "version"], capture_output=True, text=True, check=True)
    build = "request path compiled with mypyc" if EXPECT_COMPILED else "plain Python"
    assert result.stdout.strip() == f"bastion {bastion.__version__} ({build})"


@pytest.mark.skipif(not EXPECT_COMPILED, reason="only `make test-native` runs the compiled build")
def test_the_compiled_run_imports_every_listed_module_compiled() -> None:
    plain = [
        name
        for name in map(_module_name, MODULES)
        if not str(importlib.import_module(name).__file__).endswith(tuple(EXTENSION_SUFFIXES))
    ]
    assert not plain, f"plain Python in the compiled run: {plain}"


@pytest.mark.skipif(not EXPECT_COMPILED, reason="only `make test-native` runs the compiled build")
def test_the_compiled_build_was_made_from_the_sources_in_this_tree() -> None:
    installed = Path(bastion.__file__).resolve().parent
    assert installed != SRC
    changed = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if not (installed / path.relative_to(SRC)).is_file()
        or hashlib.sha256(path.read_bytes()).digest()
        != hashlib.sha256((installed / path.relative_to(SRC)).read_bytes()).digest()
    ]
    assert not changed, f"the compiled build is older than these sources; run `make native`: {changed}"


def _data_files() -> list[Path]:
    """What the code reads at run time besides modules: rules, templates, the console's static files."""
    return [
        path
        for path in SRC.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".py", ".md"}
    ]


def test_the_wheel_carries_every_data_file_the_code_reads() -> None:
    """A wheel is built from package-data patterns; a file no pattern names is missing from every
    installed copy (the console's .css and .js were, until the compiled build's run served 500s)."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["bastion"]
    left_out = [
        str(path.relative_to(SRC))
        for path in _data_files()
        if not any(path.relative_to(SRC).match(p.removeprefix("**/")) for p in patterns)
    ]
    assert not left_out, f"no [tool.setuptools.package-data] pattern names: {left_out}"


@pytest.mark.skipif(not EXPECT_COMPILED, reason="only `make test-native` runs an installed wheel")
def test_the_installed_wheel_holds_every_data_file() -> None:
    installed = Path(bastion.__file__).resolve().parent
    missing = [str(p.relative_to(SRC)) for p in _data_files() if not (installed / p.relative_to(SRC)).is_file()]
    assert not missing, f"the installed wheel lacks: {missing}"
