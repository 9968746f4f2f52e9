"""The optional compiled build: `BASTION_COMPILE=1` compiles the request path with mypyc.

Without it (the default, and every editable install) Bastion is plain Python. With it, the modules
listed in pyproject.toml under [tool.bastion.compile] become C extensions next to their sources, and
everything else stays Python: the same code, a quarter to a half less CPU per request through the server
(docs/performance.md, "The compiled build"). `make native` builds that wheel.
"""

import os
import tomllib
from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).resolve().parent


def _compiled() -> list[Extension]:
    if os.environ.get("BASTION_COMPILE") != "1":
        return []
    from mypyc.build import mypycify  # noqa: PLC0415  only the compiled build needs mypy

    with (HERE / "pyproject.toml").open("rb") as f:
        modules = tomllib.load(f)["tool"]["bastion"]["compile"]["modules"]
    return mypycify([f"src/bastion/{m}" for m in modules], opt_level="3", multi_file=False)


setup(ext_modules=_compiled())
