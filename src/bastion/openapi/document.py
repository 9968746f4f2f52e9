"""Loading an OpenAPI document from YAML or JSON into plain data, with readable errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from bastion.errors import StartupError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_SPEC_BYTES = 64 * 1024 * 1024


class SpecError(StartupError):
    """The OpenAPI document cannot be used; the message names the file and the place."""


@dataclass(frozen=True)
class SpecOperation:
    template: str
    method: str  # upper case
    operation_id: str | None
    tags: frozenset[str]
    node: dict[str, Any] = field(repr=False)
    path_item: dict[str, Any] = field(repr=False)


@dataclass
class OpenAPIDocument:
    path: Path
    data: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.data.get("openapi", ""))

    def operations(self) -> Iterator[SpecOperation]:
        paths = self.data.get("paths") or {}
        for template, item in paths.items():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                node = item.get(method)
                if isinstance(node, dict):
                    op_id = node.get("operationId")
                    yield SpecOperation(
                        template=str(template),
                        method=method.upper(),
                        operation_id=str(op_id) if op_id else None,
                        tags=frozenset(str(t) for t in node.get("tags") or ()),
                        node=node,
                        path_item=item,
                    )


def read_document(path: Path) -> Any:
    """Parse a YAML or JSON file; JSON goes through orjson because large specs load much faster."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return parse_document(raw, str(path), json_hint=path.suffix.lower() == ".json")


def parse_document(raw: bytes, source: str, *, json_hint: bool = False) -> Any:
    """Parse spec bytes from a file or a URL; `source` names it in errors."""
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError(f"{source}: larger than {MAX_SPEC_BYTES // (1024 * 1024)} MiB")
    if json_hint or raw.lstrip()[:1] in (b"{", b"["):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            if json_hint:
                raise SpecError(f"{source}: invalid JSON at character {exc.pos}") from None
    try:
        return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe loader
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise SpecError(f"{source}: invalid YAML at line {line}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: invalid YAML: {exc}") from None


def load_document(path: str | Path) -> OpenAPIDocument:
    path = Path(path)
    return document_from_data(read_document(path), path)


def document_from_data(data: Any, path: Path) -> OpenAPIDocument:
    if not isinstance(data, dict) or "openapi" not in data:
        raise SpecError(f"{path}: not an OpenAPI document (no 'openapi' version key)")
    version = str(data["openapi"])
    if not (version.startswith("3.0") or version.startswith("3.1")):
        raise SpecError(f"{path}: OpenAPI {version} is not supported; use 3.0 or 3.1")
    if not isinstance(data.get("paths", {}), dict):
        raise SpecError(f"{path}: 'paths' must be a mapping")
    return OpenAPIDocument(path=path, data=data)
