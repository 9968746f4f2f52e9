"""Which build is running: plain Python, or the request path compiled with mypyc (setup.py)."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES


def compiled() -> bool:
    """True when the request path runs as C extensions (`make native`); `bastion version` says so,
    since the two builds differ in speed, not in behaviour."""
    from bastion.core import pipeline  # noqa: PLC0415  only `bastion version` asks

    return str(pipeline.__file__).endswith(tuple(EXTENSION_SUFFIXES))
