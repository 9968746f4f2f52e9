"""The configuration reference in docs/, generated from the models so it cannot drift from them."""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from bastion.config.model import BastionConfig


def json_schema() -> dict[str, Any]:
    schema = BastionConfig.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "bastion.yaml"
    return schema


def markdown_reference() -> str:
    lines = [
        "# Configuration reference",
        "",
        "Generated from the policy models by `bastion schema --format markdown`; a test keeps it in step.",
        "Durations accept `500ms`, `2s`, `5m`, `1h`, `1d`; sizes accept `512KB`, `16KiB`, `1MiB`.",
        "Any string may use `${ENV_VAR}`, `${ENV_VAR:-default}` or `${file:/path/to/secret}`.",
        "",
    ]
    _section(BastionConfig, "", lines, seen=set())
    return "\n".join(lines).rstrip() + "\n"


def _section(model: type[BaseModel], prefix: str, lines: list[str], seen: set[str]) -> None:
    title = prefix or "(top level)"
    lines += [f"## `{title}`", ""]
    doc = (model.__doc__ or "").strip().splitlines()
    if doc and prefix:
        lines += [doc[0], ""]
    lines += ["| key | type | default | description |", "| --- | --- | --- | --- |"]
    nested: list[tuple[str, type[BaseModel]]] = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        subs = _models_in(field.annotation)
        description = field.description or (_first_line(subs[0]) if subs else "")
        lines.append(f"| `{key}` | {_type_name(field.annotation)} | {_default(field)} | {description} |")
        for sub in subs:
            nested.append((f"{prefix}.{key}" if prefix else key, sub))
    lines.append("")
    for path, sub in nested:
        if path in seen:
            continue
        seen.add(path)
        _section(sub, path, lines, seen)


def _first_line(model: type[BaseModel]) -> str:
    doc = (model.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        found += _models_in(arg)
    return found


def _type_name(annotation: Any) -> str:  # noqa: PLR0911  one return per kind of annotation the reference names
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        base = get_args(annotation)[0]
        metadata = [getattr(m, "func", None) for m in get_args(annotation)[1:]]
        names = {getattr(f, "__name__", "") for f in metadata}
        if "parse_duration" in names:
            return "duration"
        if "parse_size" in names:
            return "size"
        return _type_name(base)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(_type_name(a) for a in get_args(annotation))
    if origin in (list, tuple, set, frozenset):
        args = get_args(annotation)
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is dict:
        args = get_args(annotation)
        return f"map of {_type_name(args[1])}" if args else "map"
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "section"
        return {"Path": "path", "str": "string", "int": "integer", "float": "number", "bool": "boolean"}.get(
            annotation.__name__, annotation.__name__
        )
    return str(annotation).replace("typing.", "")


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        try:
            value = field.default_factory()  # type: ignore[call-arg]
        except TypeError:
            return ""
        if isinstance(value, BaseModel):
            return "(section)"
        return f"`{value}`" if value not in ([], {}) else "empty"
    if field.default is PydanticUndefined or field.default is None:
        return "" if field.default is PydanticUndefined else "null"
    return f"`{field.default}`"
