"""Loading a 2 MB spec (target: under 5 s), JSON and YAML (pytest-benchmark, a few rounds)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import yaml
from tests.test_spec_loading import big_spec

from bastion.openapi.document import load_document
from bastion.openapi.spec import CompiledSpec


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_load_2mb_spec(benchmark, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    document = big_spec(1500 if suffix == ".yaml" else 1800)  # both about 2.1-2.3 MB on disk
    path = tmp_path / f"big{suffix}"
    path.write_bytes(orjson.dumps(document) if suffix == ".json" else yaml.safe_dump(document).encode())
    benchmark.extra_info["megabytes"] = round(path.stat().st_size / 1e6, 2)
    spec = benchmark.pedantic(lambda: CompiledSpec(load_document(path)), rounds=3, iterations=1)
    assert spec.operations
