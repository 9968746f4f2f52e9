"""Coverage-guided fuzzing of the in-process targets with atheris (libFuzzer), under `make fuzz`.

Hypothesis (`test_inprocess_fuzz.py`) generates structured inputs; atheris instead mutates raw bytes
towards new branches of the instrumented Bastion modules, which finds what a grammar did not think
of. One process per target; the targets and what may escape them are those of `inprocess_targets`.

    python -m tests.faults.atheris_fuzz --target json --runs 200000
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import atheris

with atheris.instrument_imports(include=["bastion"]):
    from tests.faults import inprocess_targets as targets


def _text(data: bytes) -> str:
    return atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))


def _expression(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(64)
    facts = targets.Facts(
        path={"user_id": provider.ConsumeUnicodeNoSurrogates(8)},
        query={},
        body={"owner": provider.ConsumeIntInRange(-5, 5)},
        headers={},
        cookies={},
        identity={"sub": provider.ConsumeUnicodeNoSurrogates(8), "roles": ["user"]},
    )
    targets.authz_expression(text, facts)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "json": targets.json_limits,
    "waf": lambda data: targets.waf_views(data.decode("utf-8", "surrogateescape")),
    "graphql": lambda data: targets.graphql_shape(_text(data)),
    "authz": _expression,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=sorted(TARGETS), required=True)
    parser.add_argument("--runs", type=int, default=200_000)
    args = parser.parse_args()
    atheris.Setup([sys.argv[0], f"-runs={args.runs}", "-max_len=4096", "-print_final_stats=1"], TARGETS[args.target])
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
