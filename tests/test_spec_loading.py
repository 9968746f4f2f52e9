"""Loading OpenAPI 3.0 and 3.1 specs: file references, 3.0 dialect, readable errors, big specs fast."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import yaml

from bastion.openapi import spec as spec_module
from bastion.openapi.document import SpecError, load_document
from bastion.openapi.spec import CompiledSpec

SPECS = Path(__file__).parent / "specs"


def test_split_openapi_30_spec_with_relative_file_refs() -> None:
    spec = CompiledSpec(load_document(SPECS / "split-main.yaml"))
    put = spec.operations[("PUT", "/accounts/{id}")]
    validator = put.body["application/json"].validator
    assert validator.is_valid({"owner": {"name": "a", "parent": {"name": "b"}}, "nickname": None})  # nullable
    assert not validator.is_valid({"owner": {}, "limit": 100})  # 3.0 boolean exclusiveMaximum
    assert validator.is_valid({"owner": {}, "limit": 99.5})
    assert not validator.is_valid({"id": 1})  # owner required; id is readOnly so not required of requests
    get = spec.operations[("GET", "/accounts/{id}")]
    response = get.response_for(200, "application/json")
    assert response is not None
    assert not response.validator.is_valid({"owner": {}})  # responses must carry the readOnly id
    assert get.parameters[0].kind == "integer"


def test_json_spec(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "j", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    (tmp_path / "spec.json").write_bytes(orjson.dumps(document))
    assert ("GET", "/a") in CompiledSpec(load_document(tmp_path / "spec.json")).operations


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"openapi": "3.1.0", "info": {"title": "x"}, "paths": {}}, 'info: "version" is a required property'),
        (
            {
                "openapi": "3.1.0",
                "info": {"title": "x", "version": "1"},
                "paths": {"/a": {"get": {"responses": {"200": {"descriptio": "x"}}}}},
            },
            "paths./a.get.responses.200",
        ),
        (
            {
                "openapi": "3.1.0",
                "info": {"title": "x", "version": "1"},
                "paths": {"/a/{id}": {"get": {"responses": {"200": {"description": "x"}}}}},
            },
            "path parameter 'id' is not declared",
        ),
        (
            {
                "openapi": "3.1.0",
                "info": {"title": "x", "version": "1"},
                "paths": {
                    "/a": {
                        "post": {
                            "requestBody": {
                                "content": {"application/json": {"schema": {"type": "string", "pattern": "(?<=a)b"}}}
                            },
                            "responses": {"200": {"description": "x"}},
                        }
                    }
                },
            },
            "a schema is invalid",
        ),
        ({"openapi": "2.0"}, "not supported"),
    ],
)
def test_invalid_specs_get_readable_errors(tmp_path: Path, document: dict[str, object], message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(SpecError) as caught:
        CompiledSpec(load_document(path))
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_referenced_file(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        yaml.safe_dump(
            {
                "openapi": "3.1.0",
                "info": {"title": "x", "version": "1"},
                "paths": {
                    "/a": {
                        "get": {
                            "responses": {
                                "200": {
                                    "description": "x",
                                    "content": {"application/json": {"schema": {"$ref": "nowhere.yaml#/X"}}},
                                }
                            }
                        }
                    }
                },
            }
        )
    )
    with pytest.raises(SpecError, match=r"nowhere\.yaml does not exist"):
        CompiledSpec(load_document(tmp_path / "s.yaml"))


def big_spec(resources: int) -> dict[str, object]:
    paths: dict[str, object] = {}
    schemas: dict[str, object] = {
        "Owner": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}}
    }
    for i in range(resources):
        schemas[f"R{i}"] = {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "id": {"type": "integer", "readOnly": True},
                "name": {"type": "string", "maxLength": 100, "pattern": "^[A-Za-z0-9 ]+$"},
                "email": {"type": "string", "format": "email"},
                "tags": {"type": "array", "maxItems": 10, "items": {"type": "string"}},
                "owner": {"$ref": "#/components/schemas/Owner"},
                "status": {"type": "string", "enum": ["a", "b", "c"]},
            },
        }
        ref = {"$ref": f"#/components/schemas/R{i}"}
        paths[f"/r{i}"] = {
            "get": {
                "operationId": f"list{i}",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "array", "items": ref}}},
                    }
                },
            },
            "post": {
                "operationId": f"create{i}",
                "requestBody": {"content": {"application/json": {"schema": ref}}},
                "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": ref}}}},
            },
        }
        paths[f"/r{i}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {
                "operationId": f"get{i}",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}},
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "big", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def test_a_2_mb_spec_compiles_completely(tmp_path: Path) -> None:
    """Its load time is measured in bench/test_spec_load_bench.py, not asserted here."""
    document = big_spec(1800)
    path = tmp_path / "big.json"
    path.write_bytes(orjson.dumps(document))
    assert path.stat().st_size >= 2_000_000
    spec = CompiledSpec(load_document(path))
    assert len(spec.operations) == 5400
    create = spec.operations[("POST", "/r1799")].body["application/json"].validator
    assert create.is_valid({"name": "ok"})
    assert not create.is_valid({"name": "no!"})


def _checked_spec(tmp_path: Path, description: str) -> Path:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "checked", "version": "1", "description": description},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    path = tmp_path / "spec.json"
    path.write_bytes(orjson.dumps(document))
    return path


def test_a_document_found_well_formed_is_not_checked_again_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The structure check's verdict is kept in the on-disk cache (issue 19: memory and start-up);
    any change to the document, and only a pass, is checked again."""
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    CompiledSpec(load_document(_checked_spec(tmp_path, "one")))
    assert len(list((tmp_path / "cache").glob("openapi-*.mark"))) == 1
    checked: list[object] = []
    real = spec_module._structure_validator

    def counted(schema: dict[str, object]) -> object:
        checked.append(schema)
        return real(schema)

    monkeypatch.setattr(spec_module, "_structure_validator", counted)
    CompiledSpec(load_document(_checked_spec(tmp_path, "one")))
    assert checked == []  # the same document: its mark stands
    CompiledSpec(load_document(_checked_spec(tmp_path, "two")))
    assert len(checked) == 1  # another document: checked, then marked
    assert len(list((tmp_path / "cache").glob("openapi-*.mark"))) == 2

    broken = orjson.loads(_checked_spec(tmp_path, "three").read_bytes())
    broken["paths"]["/a"]["get"]["responses"] = "none"
    (tmp_path / "spec.json").write_bytes(orjson.dumps(broken))
    for _ in range(2):  # a document that fails is never marked: it fails every time
        with pytest.raises(SpecError, match="not a valid OpenAPI document"):
            CompiledSpec(load_document(tmp_path / "spec.json"))
    assert len(list((tmp_path / "cache").glob("openapi-*.mark"))) == 2


def test_with_the_cache_off_every_start_checks_the_structure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BASTION_CACHE_DIR", "")
    checked: list[object] = []
    real = spec_module._structure_validator
    monkeypatch.setattr(spec_module, "_structure_validator", lambda schema: checked.append(schema) or real(schema))
    for _ in range(2):
        CompiledSpec(load_document(_checked_spec(tmp_path, "one")))
    assert len(checked) == 2
